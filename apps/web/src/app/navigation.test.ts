import { describe, expect, it } from 'vitest';
import { permissionsOf, roles, type Role } from '@qinqing/contracts';
import { activeNavKey, canSee, navItems } from './navigation';

function menuFor(role: Role): string[] {
  const permissions = [...permissionsOf([role])];
  return navItems.filter((item) => canSee(item, permissions)).map((item) => item.key);
}

describe('side menu', () => {
  it('shows every role the workbench and their own account', () => {
    for (const role of roles) expect(menuFor(role)).toEqual(expect.arrayContaining(['home', 'account']));
  });

  it('gives the audit administrator the audit log and no account administration', () => {
    expect(menuFor('auditadmin')).toEqual(['home', 'audit', 'deadline', 'account']);
  });

  it('gives the security administrator roles and the security policy but not the audit log', () => {
    expect(menuFor('secadmin')).toEqual(['home', 'organisations', 'users', 'roles', 'securityPolicy', 'deadline', 'account']);
  });

  it('gives an enterprise user their own enterprise instead of the registry', () => {
    expect(menuFor('enterprise')).toEqual(['home', 'myEnterprise', 'appeals', 'appealNew', 'deadline', 'account']);
  });

  it('gives the officer the registry and binding review, and read-only roles the registry alone', () => {
    expect(menuFor('officer')).toEqual(expect.arrayContaining(['enterprises', 'bindingRequests']));
    expect(menuFor('officer')).not.toContain('myEnterprise');
    for (const role of ['leader', 'supervisor', 'instructor'] as const) {
      expect(menuFor(role)).toContain('enterprises');
      expect(menuFor(role)).not.toContain('bindingRequests');
    }
    expect(menuFor('bank')).not.toContain('enterprises');
  });

  it('gives the calendar to those who keep it, and the due-date tool to everyone else', () => {
    for (const role of roles) {
      const keepsCalendar = role === 'officer' || role === 'sysadmin';
      expect(menuFor(role).includes('calendar'), role).toBe(keepsCalendar);
      expect(menuFor(role).includes('deadline'), role).toBe(!keepsCalendar);
    }
  });
});

describe('visits menu', () => {
  it('gives visits and liaison points to officers, instructors, leaders and supervisors only', () => {
    for (const role of roles) {
      const sees = ['officer', 'instructor', 'leader', 'supervisor'].includes(role);
      expect(menuFor(role).includes('visits'), role).toBe(sees);
      expect(menuFor(role).includes('liaisonPoints'), role).toBe(sees);
    }
    expect(activeNavKey('/visits/abc')).toBe('visits');
    expect(activeNavKey('/liaison-points/abc')).toBe('liaisonPoints');
  });
});

describe('appeals menu', () => {
  it('gives the list to whoever reads appeals, the form to those who submit, the KPIs to leaders, officers and supervisors', () => {
    for (const role of roles) {
      const permissions = permissionsOf([role]);
      expect(menuFor(role).includes('appeals'), role).toBe(permissions.has('appeals:read'));
      expect(menuFor(role).includes('appealNew'), role).toBe(permissions.has('appeals:submit'));
      expect(menuFor(role).includes('appealKpis'), role).toBe(permissions.has('appeals:kpi'));
    }
    expect(menuFor('handler')).toEqual(['home', 'appeals', 'deadline', 'account']);
    expect(menuFor('leader')).toEqual(expect.arrayContaining(['appeals', 'appealKpis']));
    expect(menuFor('leader')).not.toContain('appealNew');
    expect(menuFor('bank')).not.toContain('appeals');
    expect(activeNavKey('/appeals')).toBe('appeals');
    expect(activeNavKey('/appeals/abc')).toBe('appeals');
    expect(activeNavKey('/appeals/new')).toBe('appealNew');
    expect(activeNavKey('/appeals/kpis')).toBe('appealKpis');
  });
});

describe('activeNavKey', () => {
  it('matches the workbench only at the root', () => {
    expect(activeNavKey('/')).toBe('home');
    expect(activeNavKey('/nowhere')).toBeUndefined();
  });

  it('matches nested paths to their section', () => {
    expect(activeNavKey('/users')).toBe('users');
    expect(activeNavKey('/users/42')).toBe('users');
    expect(activeNavKey('/usersx')).toBeUndefined();
    expect(activeNavKey('/enterprises/import')).toBe('enterprises');
    expect(activeNavKey('/enterprises/abc')).toBe('enterprises');
    expect(activeNavKey('/calendar')).toBe('calendar');
    expect(activeNavKey('/calendar/deadline')).toBe('deadline');
  });
});
