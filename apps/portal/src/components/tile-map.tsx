import { useI18n } from '../lib/i18n';
import { provinceName } from '../lib/reference';

/**
 * The 34 provinces as a grid cartogram: one equal tile each, placed near where it lies (north at the top,
 * the coast on the right), so small provinces are as visible as large ones and no map tiles are needed.
 */
export const TILES: Readonly<Record<string, readonly [col: number, row: number, abbr: string]>> = {
  '12': [1, 0, 'LCh'],
  '15': [2, 0, 'LCa'],
  '08': [3, 0, 'TQ'],
  '04': [4, 0, 'CB'],
  '11': [0, 1, 'ĐB'],
  '14': [1, 1, 'SL'],
  '25': [2, 1, 'PT'],
  '19': [3, 1, 'TN'],
  '20': [4, 1, 'LS'],
  '01': [2, 2, 'HN'],
  '24': [3, 2, 'BN'],
  '22': [4, 2, 'QNi'],
  '37': [2, 3, 'NB'],
  '33': [3, 3, 'HY'],
  '31': [4, 3, 'HP'],
  '38': [2, 4, 'TH'],
  '40': [2, 5, 'NA'],
  '42': [3, 6, 'HT'],
  '44': [3, 7, 'QT'],
  '46': [4, 8, 'Huế'],
  '48': [4, 9, 'ĐN'],
  '51': [4, 10, 'QNg'],
  '52': [4, 11, 'GL'],
  '66': [4, 12, 'ĐL'],
  '68': [3, 13, 'LĐ'],
  '56': [4, 13, 'KH'],
  '80': [1, 14, 'TNi'],
  '75': [2, 14, 'ĐNa'],
  '91': [0, 15, 'AG'],
  '82': [1, 15, 'ĐT'],
  '79': [2, 15, 'HCM'],
  '92': [1, 16, 'CT'],
  '86': [2, 16, 'VL'],
  '96': [1, 17, 'CM'],
};

const SIZE = 40;
const GAP = 4;
const centre = (code: string) => {
  const [col, row] = TILES[code] ?? [0, 0];
  return [col * (SIZE + GAP) + SIZE / 2, row * (SIZE + GAP) + SIZE / 2] as const;
};

/** Shades from pale to deep teal by share of the largest value. */
export const shade = (value: number, max: number) =>
  value <= 0 || max <= 0 ? '#f1f4f6' : `hsl(186 60% ${Math.round(88 - (value / max) * 58)}%)`;

export function TileMap({
  selected,
  flows,
  labelledBy,
}: {
  selected: string;
  /** Linkages between the selected province and each partner (both directions). */
  flows: Record<string, number>;
  labelledBy: string;
}) {
  const { t } = useI18n();
  const max = Math.max(1, ...Object.values(flows));
  const width = 5 * (SIZE + GAP) - GAP;
  const height = 18 * (SIZE + GAP) - GAP;
  const [sx, sy] = centre(selected);
  return (
    <svg
      class="tile-map"
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-labelledby={labelledBy}
      preserveAspectRatio="xMidYMin meet"
    >
      <title>{t('province.map')}</title>
      {Object.entries(TILES).map(([code, [col, row]]) => {
        const value = flows[code] ?? 0;
        const isSelected = code === selected;
        return (
          <rect
            key={code}
            data-province={code}
            x={col * (SIZE + GAP)}
            y={row * (SIZE + GAP)}
            width={SIZE}
            height={SIZE}
            rx={5}
            fill={isSelected ? '#0b4f6c' : shade(value, max)}
            stroke={isSelected ? '#062c3d' : value > 0 ? '#0b4f6c' : '#c5ccd3'}
            stroke-width={isSelected ? 2 : 1}
          >
            <title>
              {provinceName(code)}
              {isSelected ? '' : `: ${t('province.count')} ${value}`}
            </title>
          </rect>
        );
      })}
      {Object.entries(flows)
        .filter(([code, value]) => code !== selected && value > 0 && TILES[code])
        .map(([code, value]) => {
          const [x, y] = centre(code);
          // Bow each line sideways so flows along the long north–south axis stay apart.
          const mx = (sx + x) / 2 + (y - sy) * 0.35;
          const my = (sy + y) / 2 - (x - sx) * 0.35;
          return (
            <path
              key={code}
              class="flow"
              d={`M${sx},${sy} Q${mx},${my} ${x},${y}`}
              fill="none"
              stroke="#d1495b"
              stroke-opacity={0.8}
              stroke-linecap="round"
              stroke-width={1.5 + (value / max) * 4}
              data-partner={code}
            />
          );
        })}
      {/* Labels last, so the flows never hide a province's name. */}
      {Object.entries(TILES).map(([code, [col, row, abbr]]) => {
        const value = flows[code] ?? 0;
        return (
          <text
            key={code}
            x={col * (SIZE + GAP) + SIZE / 2}
            y={row * (SIZE + GAP) + SIZE / 2 + 4}
            text-anchor="middle"
            class="tile-label"
            fill={code === selected || value / max > 0.6 ? '#ffffff' : '#1b2a35'}
          >
            {abbr}
          </text>
        );
      })}
    </svg>
  );
}
