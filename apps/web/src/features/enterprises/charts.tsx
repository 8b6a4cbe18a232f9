import { BarChart, PieChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import type { CSSProperties } from 'react';

// Only the pieces the registry's charts use, so the chunk stays small.
echarts.use([BarChart, PieChart, GridComponent, TooltipComponent, CanvasRenderer]);

export interface ChartProps {
  option: Record<string, unknown>;
  style?: CSSProperties;
  /** The chart's accessible name; the figures are also given as text next to it. */
  label: string;
  onClick?: (params: { name: string; dataIndex: number; data: unknown }) => void;
}

/** An ECharts chart drawn on canvas (no inline scripts; fine under the CSP). */
export function Chart({ option, style, label, onClick }: ChartProps) {
  return (
    <div role="img" aria-label={label}>
      <ReactEChartsCore
        echarts={echarts}
        option={option}
        notMerge
        style={style}
        onEvents={onClick ? { click: onClick } : undefined}
      />
    </div>
  );
}
