import { describe, expect, it } from 'vitest';
import { hasFilters, parseListState, sortFromTable, sortOrderOf, toQuery, toSearchParams, withFilter } from './list-filters';

const parse = (query: string) => parseListState(new URLSearchParams(query));

describe('enterprise list state in the URL', () => {
  it('defaults to page 1 of 20, no filters', () => {
    expect(parse('')).toEqual({ tags: [], page: 1, pageSize: 20, q: undefined, industry: undefined, region: undefined, scale: undefined, status: undefined, park: undefined, sort: undefined });
    expect(toSearchParams(parse('')).toString()).toBe('');
  });

  it('round-trips every filter, sort and page', () => {
    const query = 'q=%E5%B4%87%E7%A6%8F&industry=17&region=330483107200&scale=above&status=operating&park=%E5%9B%AD%E5%8C%BA&tags=%E9%AB%98%E6%96%B0%2C%E4%B8%93%E7%B2%BE%E7%89%B9%E6%96%B0&sort=-revenue&page=3&pageSize=50';
    const state = parse(query);
    expect(state).toMatchObject({ q: '崇福', industry: '17', region: '330483107200', scale: 'above', status: 'operating', park: '园区', tags: ['高新', '专精特新'], sort: '-revenue', page: 3, pageSize: 50 });
    expect(parseListState(toSearchParams(state))).toEqual(state);
  });

  it('drops malformed values from a hand-edited link instead of sending them', () => {
    const state = parse('industry=CC&region=12ab&scale=big&status=x&sort=-password&page=-2&pageSize=7&tags=,,a, a ,b');
    expect(state).toMatchObject({ industry: undefined, region: undefined, scale: undefined, status: undefined, sort: undefined, page: 1, pageSize: 20, tags: ['a', 'b'] });
  });

  it('accepts industry and region codes at every level', () => {
    for (const industry of ['C', '17', '171', '1713']) expect(parse(`industry=${industry}`).industry).toBe(industry);
    for (const region of ['330483', '330483107', '330483107200']) expect(parse(`region=${region}`).region).toBe(region);
  });

  it('sends the API only set filters, tags comma-separated', () => {
    expect(toQuery(parse('q=%20%20&tags=a,b&scale=below'))).toEqual({ q: undefined, industry: undefined, region: undefined, scale: 'below', status: undefined, park: undefined, tags: 'a,b', sort: undefined });
  });

  it('goes back to page 1 when a filter changes', () => {
    const state = parse('page=4&scale=above');
    expect(withFilter(state, { status: 'suspended' })).toMatchObject({ page: 1, scale: 'above', status: 'suspended' });
    expect(hasFilters(state)).toBe(true);
    expect(hasFilters(parse('sort=name&page=2'))).toBe(false);
  });

  it('maps antd table sort orders to and from the sort parameter', () => {
    expect(sortFromTable('revenue', 'descend')).toBe('-revenue');
    expect(sortFromTable('landArea', 'ascend')).toBe('landArea');
    expect(sortFromTable('name', null)).toBeUndefined();
    expect(sortOrderOf(parse('sort=-revenue'), 'revenue')).toBe('descend');
    expect(sortOrderOf(parse('sort=-revenue'), 'name')).toBeNull();
  });
});
