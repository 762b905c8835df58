/**
 * Heard's mark in unit coordinates (0..1 across a square): a speech bubble on a rounded field.
 * Shared by the page (`Mark.tsx`) and the icon script (`client/scripts/icons.ts`), so they agree.
 */
export const MARK = {
  fieldRadius: 0.22,
  bubble: { cx: 0.5, cy: 0.45, halfW: 0.27, halfH: 0.2, radius: 0.13 },
  tail: [
    [0.33, 0.57],
    [0.47, 0.6],
    [0.3, 0.76],
  ],
} as const
