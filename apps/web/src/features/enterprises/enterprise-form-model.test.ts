import type { Enterprise } from '@qinqing/contracts';
import { describe, expect, it } from 'vitest';
import { changedFields, toFormValues, toPayload, unmaskContacts } from './enterprise-form-model';

const enterprise: Enterprise = {
  id: 'e1',
  creditCode: '91330483MA2B3C4D5E',
  creditCodeOverride: false,
  name: '桐乡市崇福皮草有限公司',
  formerNames: [],
  legalRepresentative: '张三',
  registeredCapital: 500,
  establishedOn: '2010-05-01',
  industryCode: '1931',
  industryName: '毛皮鞣制加工',
  regionCode: '330483107200',
  regionName: '某村',
  revenue: 2500,
  scale: 'above',
  scaleOverrideReason: null,
  landArea: 12.5,
  park: null,
  address: '崇福镇某路 1 号',
  contacts: [{ name: '李四', title: '总经理', phone: '138****1234' }],
  tags: ['高新'],
  status: 'operating',
  managerCount: 1,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
};
const paths = { industry: ['C', '19', '193', '1931'], region: ['330000', '330400', '330483', '330483107', '330483107200'] };

describe('enterprise form model', () => {
  it('turns form values into a create body: last cascader code, blanks to null, empty contact rows dropped', () => {
    const payload = toPayload({
      creditCode: ' 91330483MA2B3C4D5E ',
      name: ' 新企业 ',
      industryCode: ['C', '17'],
      regionCode: ['330483', '330483107'],
      legalRepresentative: '  ',
      scaleOverride: 'auto',
      scaleOverrideReason: 'ignored',
      contacts: [{ name: '王五', phone: '' }, undefined, { name: ' ' }],
      tags: ['a', ' a', ''],
    });
    expect(payload).toMatchObject({
      creditCode: '91330483MA2B3C4D5E',
      name: '新企业',
      industryCode: '17',
      regionCode: '330483107',
      legalRepresentative: null,
      scaleOverride: null,
      scaleOverrideReason: null,
      contacts: [{ name: '王五', title: null, phone: null }],
      tags: ['a'],
      status: 'operating',
    });
    expect(payload).not.toHaveProperty('overrideCreditCodeCheck');
  });

  it('sends only what changed on edit, never the credit code', () => {
    const before = toPayload(toFormValues(enterprise, paths));
    expect(changedFields(before, before)).toEqual({});
    const after = toPayload({ ...toFormValues(enterprise, paths), landArea: 13, tags: ['高新', '专精特新'], creditCode: 'X' });
    expect(changedFields(before, after)).toEqual({ landArea: 13, tags: ['高新', '专精特新'] });
  });

  it('sends the scale override with its reason, and clears both together', () => {
    const before = toPayload(toFormValues(enterprise, paths));
    const overridden = toPayload({ ...toFormValues(enterprise, paths), scaleOverride: 'below', scaleOverrideReason: '统计口径' });
    expect(changedFields(before, overridden)).toEqual({ scaleOverride: 'below', scaleOverrideReason: '统计口径' });
    const start = toPayload(toFormValues({ ...enterprise, scale: 'below', scaleOverrideReason: '统计口径' }, paths));
    expect(changedFields(start, toPayload({ ...toFormValues(enterprise, paths), scaleOverride: 'auto' }))).toEqual({ scaleOverride: null, scaleOverrideReason: null });
  });

  it('puts full numbers back for masked phones left as they were', () => {
    const shown = [
      { name: '李四', title: null, phone: '138****1234' },
      { name: '赵六', title: null, phone: '139****0000' },
    ];
    const revealed = [
      { name: '李四', title: null, phone: '13812341234' },
      { name: '赵六', title: null, phone: '13900000000' },
    ];
    expect(
      unmaskContacts(
        [
          { name: '赵六', title: '厂长', phone: '139****0000' },
          { name: '新人', title: null, phone: '13700000000' },
        ],
        shown,
        revealed,
      ),
    ).toEqual([
      { name: '赵六', title: '厂长', phone: '13900000000' },
      { name: '新人', title: null, phone: '13700000000' },
    ]);
    expect(unmaskContacts([{ name: 'x', phone: '137****9999' }], shown, revealed)).toBeNull();
  });
});
