import { type CodeOption, type CodeSystem, describeCode, searchCodes } from '@lienket/reference';
import { useId, useMemo, useRef, useState } from 'preact/hooks';
import { useI18n } from '../lib/i18n';

interface CodePickerProps {
  system: CodeSystem;
  /** The input's id, which the field's label points at. */
  id: string;
  /** The input's name, so an error summary's link can focus it. */
  name: string;
  describedBy: string | undefined;
  invalid: boolean;
  value: readonly string[];
  onChange(codes: string[]): void;
}

const MAX_CODES = 10;

/**
 * Finds HS or VSIC codes by name (Vietnamese with or without diacritics, English) or first digits and
 * keeps the chosen ones as removable chips: the ARIA 1.2 combobox pattern (a text input that controls a
 * listbox; arrows move the active option, Enter picks it, Escape closes the list), with large options to tap.
 */
export function CodePicker({ system, id, name, describedBy, invalid, value, onChange }: CodePickerProps) {
  const { t, lang } = useI18n();
  const listId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const [status, setStatus] = useState('');
  const options = useMemo(
    () => searchCodes(system, query, { lang, limit: 8 }).filter((o) => !value.includes(o.code)),
    [system, query, lang, value],
  );
  const expanded = open && query.trim() !== '';
  const nameOf = (o: CodeOption) => (lang === 'vi' ? o.nameVi : o.name);
  const label = (code: string) => {
    const described = describeCode(system, code);
    return described ? `${code} · ${nameOf(described)}` : code;
  };
  const optionId = (index: number) => `${listId}-${index}`;

  const pick = (option: CodeOption) => {
    if (value.length >= MAX_CODES) {
      setStatus(t('picker.full', { n: MAX_CODES }));
      return;
    }
    onChange([...value, option.code]);
    setQuery('');
    setOpen(false);
    setActive(0);
    setStatus(t('picker.added', { code: label(option.code) }));
    input.current?.focus();
  };
  const remove = (code: string) => {
    onChange(value.filter((c) => c !== code));
    setStatus(t('picker.removed', { code: label(code) }));
    input.current?.focus();
  };

  const onKeyDown = (e: KeyboardEvent) => {
    switch (e.key) {
      case 'ArrowDown':
        e.preventDefault();
        if (!expanded) setOpen(true);
        else setActive((a) => (options.length ? (a + 1) % options.length : 0));
        break;
      case 'ArrowUp':
        e.preventDefault();
        if (expanded) setActive((a) => (options.length ? (a - 1 + options.length) % options.length : 0));
        break;
      case 'Enter': {
        // Enter picks from an open list instead of sending the form.
        const option = options[active];
        if (expanded && option) {
          e.preventDefault();
          pick(option);
        }
        break;
      }
      case 'Escape':
        if (expanded) {
          e.preventDefault();
          setOpen(false);
        } else if (query) {
          e.preventDefault();
          setQuery('');
        }
        break;
      case 'Backspace': {
        const last = value[value.length - 1];
        if (!query && last) remove(last);
        break;
      }
    }
  };

  const count = expanded ? options.length : -1;
  return (
    <div class="code-picker">
      {value.length > 0 && (
        <ul class="code-chips" aria-label={t('picker.chosen')}>
          {value.map((code) => (
            <li key={code} class="code-chip" data-code={code}>
              <span>{label(code)}</span>
              <button
                type="button"
                aria-label={t('picker.remove', { code: label(code) })}
                onClick={() => remove(code)}
              >
                <span aria-hidden="true">×</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <div class="code-picker-box">
        <input
          ref={input}
          id={id}
          name={name}
          type="text"
          role="combobox"
          autoComplete="off"
          autoCapitalize="none"
          spellcheck={false}
          enterKeyHint="search"
          aria-autocomplete="list"
          aria-expanded={expanded}
          aria-controls={listId}
          aria-activedescendant={expanded && options[active] ? optionId(active) : undefined}
          aria-describedby={describedBy}
          aria-invalid={invalid}
          placeholder={system === 'hs' ? t('picker.placeholderHs') : t('picker.placeholderVsic')}
          value={query}
          onInput={(e) => {
            setQuery(e.currentTarget.value);
            setOpen(true);
            setActive(0);
          }}
          onKeyDown={onKeyDown}
          onBlur={() => setOpen(false)}
        />
        <div
          id={listId}
          role="listbox"
          class="code-options"
          hidden={!expanded}
          aria-label={t('picker.options')}
        >
          {expanded &&
            options.map((option, index) => (
              // The combobox pattern keeps focus in the input (aria-activedescendant), whose keys pick options.
              // biome-ignore lint/a11y/useFocusableInteractive: options of a combobox's listbox are not focused
              // biome-ignore lint/a11y/useKeyWithClickEvents: the input's onKeyDown handles the keyboard
              <div
                key={option.code}
                id={optionId(index)}
                role="option"
                aria-selected={index === active}
                class="code-option"
                data-code={option.code}
                // Keep focus in the input, so the list stays open while it is tapped or clicked.
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => pick(option)}
                onMouseMove={() => index !== active && setActive(index)}
              >
                <span class="code-option-code">{option.code}</span>
                <span class="code-option-name">
                  {nameOf(option)}
                  {option.under && (
                    <span class="code-option-under"> {t('picker.under', { code: option.under.code })}</span>
                  )}
                </span>
              </div>
            ))}
        </div>
      </div>
      <p class="sr-only" aria-live="polite">
        {count === 0 ? t('picker.none') : count > 0 ? t('picker.count', { n: count }) : status}
      </p>
      {count === 0 && (
        <p class="hint code-picker-none" aria-hidden="true">
          {t('picker.none')}
        </p>
      )}
    </div>
  );
}
