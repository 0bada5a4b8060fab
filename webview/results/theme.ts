/**
 * Chart colours from VS Code's theme variables, re-read when the theme
 * changes (VS Code swaps the body's vscode-light/-dark/-high-contrast class).
 */
const paletteVars = [
  '--vscode-charts-blue',
  '--vscode-charts-orange',
  '--vscode-charts-green',
  '--vscode-charts-red',
  '--vscode-charts-purple',
  '--vscode-charts-yellow',
];
const fallback = ['#3794ff', '#d18616', '#388a34', '#f14c4c', '#b180d7', '#cca700'];

export interface ChartTheme {
  palette: string[];
  foreground: string;
  grid: string;
  font: string;
}

export function readTheme(): ChartTheme {
  const css = getComputedStyle(document.body);
  const v = (name: string, dflt: string) => css.getPropertyValue(name).trim() || dflt;
  return {
    palette: paletteVars.map((p, i) => v(p, fallback[i])),
    foreground: v('--vscode-foreground', '#888'),
    grid: v('--vscode-editorWidget-border', v('--vscode-panel-border', 'rgba(128,128,128,0.25)')),
    font: v('--vscode-font-family', 'sans-serif'),
  };
}

/** Calls `onChange` whenever the body's theme class changes. */
export function watchTheme(onChange: () => void): void {
  new MutationObserver(onChange).observe(document.body, { attributes: true, attributeFilter: ['class'] });
}

export function withAlpha(color: string, alpha: number): string {
  const hex = color.match(/^#([0-9a-f]{6})$/i);
  if (!hex) return color;
  const n = parseInt(hex[1], 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}
