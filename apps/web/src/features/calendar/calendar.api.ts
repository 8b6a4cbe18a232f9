import type { CalendarDay, CalendarYear, CalendarYearDays, SetCalendarDayInput, WorkdayDate } from '@qinqing/contracts';
import { api } from '../../app/api-client';

export const calendarQueryKey = ['calendar'] as const;

/** The date `days` working days after `from` (the day after `from` counts first). */
export function addWorkdays(from: string, days: number): Promise<WorkdayDate> {
  return api<WorkdayDate>('/api/calendar/add-workdays', { query: { from, days } });
}

export function findCalendarYears(): Promise<CalendarYear[]> {
  return api<CalendarYear[]>('/api/calendar/years');
}

export function getCalendarYear(year: number): Promise<CalendarYearDays> {
  return api<CalendarYearDays>('/api/calendar/days', { query: { year } });
}

export function setCalendarDay(date: string, input: SetCalendarDayInput): Promise<CalendarDay> {
  return api<CalendarDay>(`/api/calendar/days/${date}`, { method: 'PUT', body: input });
}

export function resetCalendarDay(date: string): Promise<CalendarDay> {
  return api<CalendarDay>(`/api/calendar/days/${date}`, { method: 'DELETE' });
}

export function confirmCalendarYear(year: number): Promise<CalendarYear> {
  return api<CalendarYear>(`/api/calendar/years/${year}`, { method: 'PUT' });
}

export function withdrawCalendarYear(year: number): Promise<void> {
  return api<void>(`/api/calendar/years/${year}`, { method: 'DELETE' });
}
