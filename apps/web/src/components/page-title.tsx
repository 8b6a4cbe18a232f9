import { Typography } from 'antd';
import type { ReactNode } from 'react';

/** The h2 of a page inside the layout, with optional actions on the right. */
export function PageTitle({ children, extra }: { children: ReactNode; extra?: ReactNode }) {
  return (
    <div style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', justifyContent: 'space-between', gap: 8, marginBottom: 16 }}>
      <Typography.Title level={2} style={{ margin: 0, fontSize: 20 }}>
        {children}
      </Typography.Title>
      {extra}
    </div>
  );
}
