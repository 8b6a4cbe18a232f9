import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  addWorkdaysQuerySchema,
  plainDateSchema,
  calendarDaySchema,
  calendarYearDaysSchema,
  calendarYearNumberSchema,
  calendarYearSchema,
  setCalendarDayInputSchema,
  workdayDateSchema,
} from '@qinqing/contracts';
import { access } from '../../platform/access.js';
import type { CalendarService } from './calendar.service.js';

const dateParams = z.object({ date: plainDateSchema });
const yearParams = z.object({ year: calendarYearNumberSchema });

/** The working-day calendar: the due-date tool for everyone, the yearly notice for those who keep it. */
export async function calendarRoutes(app: FastifyInstance, { calendar }: { calendar: CalendarService }) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/calendar/add-workdays', {
    ...access.signedIn,
    schema: {
      tags: ['calendar'],
      summary: 'The date N working days after a date (counting from the next day); estimated outside the known years',
      querystring: addWorkdaysQuerySchema,
      response: { 200: workdayDateSchema },
    },
  }, async (request) => calendar.addWorkdays(request.query.from, request.query.days));

  r.get('/api/calendar/years', {
    ...access.signedIn,
    schema: { tags: ['calendar'], summary: 'Years whose holiday notice is in the calendar', response: { 200: z.array(calendarYearSchema) } },
  }, async () => calendar.findYears());

  r.get('/api/calendar/days', {
    ...access.signedIn,
    schema: {
      tags: ['calendar'],
      summary: "A year's holidays on weekdays and workdays on weekends, and whether its notice is in",
      querystring: z.object({ year: calendarYearNumberSchema }),
      response: { 200: calendarYearDaysSchema },
    },
  }, async (request) => calendar.getYearDays(request.query.year));

  r.put('/api/calendar/days/:date', {
    ...access.requires('calendar:write'),
    schema: { tags: ['calendar'], summary: 'Make a date a working day or a day off', params: dateParams, body: setCalendarDayInputSchema, response: { 200: calendarDaySchema } },
  }, async (request) => calendar.setDay(request.params.date, request.body, request.ctx));

  r.delete('/api/calendar/days/:date', {
    ...access.requires('calendar:write'),
    schema: { tags: ['calendar'], summary: "Undo a date's entry (back to the shipped notice, else Monday–Friday)", params: dateParams, response: { 200: calendarDaySchema } },
  }, async (request) => calendar.resetDay(request.params.date, request.ctx));

  r.put('/api/calendar/years/:year', {
    ...access.requires('calendar:write'),
    schema: { tags: ['calendar'], summary: "Mark a year's notice as entered: its dates are no longer estimated", params: yearParams, response: { 200: calendarYearSchema } },
  }, async (request) => calendar.confirmYear(request.params.year, request.ctx));

  r.delete('/api/calendar/years/:year', {
    ...access.requires('calendar:write'),
    schema: { tags: ['calendar'], summary: 'Take back a year marked by mistake (manual years only)', params: yearParams, response: { 204: z.null() } },
  }, async (request, reply) => {
    await calendar.withdrawYear(request.params.year, request.ctx);
    return reply.status(204).send(null);
  });
}
