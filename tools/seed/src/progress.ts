import { SingleBar } from 'cli-progress';
import type { Reporter } from './run';

/** A cli-progress bar on a terminal; one line per phase elsewhere (logs, CI). */
export function terminalReporter(stream: NodeJS.WriteStream = process.stderr): Reporter {
  if (!stream.isTTY) {
    let started = 0;
    return {
      start(total) {
        started = Date.now();
        stream.write(`seeding: ${total} calls planned\n`);
      },
      phase(name) {
        stream.write(`  ${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s  ${name}\n`);
      },
      update() {},
      note(text) {
        stream.write(`           ${text}\n`);
      },
      stop() {},
    };
  }
  const bar = new SingleBar({
    format: 'seeding [{bar}] {percentage}% {value}/{total}  {phase}',
    barsize: 30,
    hideCursor: true,
    stream,
    clearOnComplete: false,
  });
  let phase = '';
  return {
    start(total) {
      bar.start(total, 0, { phase: '' });
    },
    phase(name) {
      phase = name;
      bar.update({ phase });
    },
    update(value) {
      bar.update(value, { phase });
    },
    note(text) {
      bar.update({ phase: `${phase}: ${text}` });
    },
    stop() {
      bar.stop();
    },
  };
}
