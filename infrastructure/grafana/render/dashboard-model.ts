/** The parts of a Grafana dashboard JSON the renderer reads. */
export interface GridPos {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Target {
  refId?: string;
  expr?: string;
  legendFormat?: string;
  instant?: boolean;
  hide?: boolean;
}

export interface Threshold {
  color: string;
  value: number | null;
}

export interface Panel {
  id?: number;
  type: string;
  title: string;
  description?: string;
  gridPos: GridPos;
  targets?: Target[];
  fieldConfig?: { defaults?: { unit?: string; decimals?: number; min?: number; max?: number; thresholds?: { steps?: Threshold[] } } };
  options?: { reduceOptions?: { calcs?: string[] }; legend?: { displayMode?: string; calcs?: string[]; showLegend?: boolean }; graphMode?: string };
  panels?: Panel[];
}

export interface Dashboard {
  title: string;
  description?: string;
  panels: Panel[];
}

/** Panels in grid order, rows included; panels nested in collapsed rows are laid out after their row. */
export function flattenPanels(dashboard: Dashboard): Panel[] {
  const out: Panel[] = [];
  for (const panel of dashboard.panels) {
    out.push(panel);
    if (panel.type === "row" && panel.panels) out.push(...panel.panels);
  }
  return out;
}
