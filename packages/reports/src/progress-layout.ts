/** The picture's fixed geometry and type sizes, shared by the panels so their time axes line up. */
export const LAYOUT = {
  width: 960,
  plotLeft: 72,
  plotRight: 936,
  fontFamily: "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif",
  fontSize: { title: 22, subtitle: 15, heading: 17, body: 14, small: 13 },
  ink: '#1a1a1a',
  mutedInk: '#4d4d4d',
  grid: '#d9d9d9',
  gapFill: '#eeeeee',
} as const;

export const PLOT_WIDTH = LAYOUT.plotRight - LAYOUT.plotLeft;

/** Okabe & Ito's palette, which stays distinguishable with the common colour-vision deficiencies. */
export const OKABE_ITO = {
  black: '#000000',
  orange: '#E69F00',
  skyBlue: '#56B4E9',
  bluishGreen: '#009E73',
  yellow: '#F0E442',
  blue: '#0072B2',
  vermillion: '#D55E00',
  reddishPurple: '#CC79A7',
} as const;
