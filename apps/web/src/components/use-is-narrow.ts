import { Grid } from 'antd';

/** True below antd's `lg` breakpoint (992 px): phones and small tablets get drawers and lists. */
export function useIsNarrow(): boolean {
  const screens = Grid.useBreakpoint();
  // The first render has no breakpoints yet; fall back to the viewport so a phone does not flash the desktop layout.
  if (screens.lg === undefined) return typeof window !== 'undefined' && window.innerWidth < 992;
  return !screens.lg;
}

/** True below antd's `md` breakpoint (768 px): phones. */
export function useIsPhone(): boolean {
  const screens = Grid.useBreakpoint();
  if (screens.md === undefined) return typeof window !== 'undefined' && window.innerWidth < 768;
  return !screens.md;
}
