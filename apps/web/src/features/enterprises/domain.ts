import type { EnterpriseScale, EnterpriseStatus } from '@qinqing/contracts';

// Copies of the constants in packages/contracts/src/enterprises.ts. Importing a value from that module would
// bundle every zod schema in it (and zod) into the page; types are free. domain.test.ts keeps them in step.

/** 在营 / 停产 / 注销 */
export const enterpriseStatuses: readonly EnterpriseStatus[] = ['operating', 'suspended', 'deregistered'];
/** 规上 / 规下 */
export const enterpriseScales: readonly EnterpriseScale[] = ['above', 'below'];
/** 规上工业 threshold in 万元 (domain-rules §8). */
export const ABOVE_SCALE_REVENUE = 2000;
