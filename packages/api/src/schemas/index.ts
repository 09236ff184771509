export { asyncIterableOf } from './async-iterable.ts';
export { calendarDate, dateTime, MAX_YEAR, MIN_YEAR } from './dates.ts';
export { input } from './strict.ts';
export { storableJson, storableText, text, textProblem } from './text.ts';
export { acceptedTimeZones, timeZone } from './time-zone.ts';
