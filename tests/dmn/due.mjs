// Due times from a policygen rules export alone, written from the export schema's descriptions without policygen's
// code: an independent reader, for tests/test_export_due.py.
//
//   node due.mjs FILE.json < cases.json      cases: [{"rule": "steel-email-reply", "start": "2026-09-30 17:00"}, ...]
//
// Prints a JSON list with one result per case: {"due": "YYYY-MM-DD HH:MM"}, {"due": null} for rings (no clock
// time), or {"error": "unknown-year" | "not-in-force" | "no-rule" | "after-9999"}. No dependencies: plain Node.js.
import { readFileSync } from 'node:fs';

const DAY = 86400n * 1000000n; // microseconds
const MINUTE = 60n * 1000000n;
const UNIT_SECONDS = { seconds: 1n, minutes: 60n, hours: 3600n };
const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

class NoAnswer extends Error {}

// --- dates as day numbers, moments as BigInt microseconds ----------------------------------------------------

function dayNumber(y, m, d) {
  return BigInt(Date.UTC(y, m - 1, d) / 86400000);
}
function parseDate(text) {
  const [y, m, d] = text.split('-').map(Number);
  return dayNumber(y, m, d);
}
function ymd(day) {
  const date = new Date(Number(day) * 86400000);
  return [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
}
function isoWeekday(day) { // 0 = Monday
  return (new Date(Number(day) * 86400000).getUTCDay() + 6) % 7;
}
function minutes(text) {
  const [h, m] = text.split(':').map(Number);
  return BigInt(h * 60 + m) * MINUTE;
}
function moment(day, offset) {
  return day * DAY + offset;
}
function pad(n, width = 2) {
  return String(n).padStart(width, '0');
}
function format(micro) {
  const day = micro / DAY;
  const rest = micro - day * DAY;
  const [y, m, d] = ymd(day);
  if (y > 9999) {
    throw new NoAnswer('after-9999');
  }
  const totalMinutes = rest / MINUTE;
  return `${pad(y, 4)}-${pad(m)}-${pad(d)} ${pad(Number(totalMinutes / 60n))}:${pad(Number(totalMinutes % 60n))}`;
}

// A decimal string times a whole number of microseconds, rounded half to even (exact: no floating point).
function decimalTimes(text, factor) {
  const [whole, fraction = ''] = text.split('.');
  const scale = 10n ** BigInt(fraction.length);
  const numerator = BigInt(whole + fraction) * factor;
  let quotient = numerator / scale;
  const remainder = numerator % scale;
  if (remainder * 2n > scale || (remainder * 2n === scale && quotient % 2n === 1n)) {
    quotient += 1n;
  }
  return quotient;
}

// --- the working-day calendar of the export ------------------------------------------------------------------

function calendarOf(data) {
  const years = new Map();
  for (const year of data.working_calendar.years) {
    const days = new Map();
    for (const d of year.days_off) days.set(parseDate(d.date), false);
    for (const d of year.working_days) days.set(parseDate(d.date), true);
    years.set(year.year, days);
  }
  const weekend = new Set(data.working_calendar.weekend.map(w => WEEKDAYS.indexOf(w)));
  return function isWorking(day) {
    const listed = years.get(ymd(day)[0]);
    if (!listed) {
      throw new NoAnswer('unknown-year');
    }
    return listed.has(day) ? listed.get(day) : !weekend.has(isoWeekday(day));
  };
}

function hoursOf(data) {
  const hours = data.organization.business_hours ?? { start: '09:00', end: '18:00' };
  const opens = minutes(hours.start);
  const closes = minutes(hours.end);
  const periods = hours.lunch
    ? [[opens, minutes(hours.lunch.start)], [minutes(hours.lunch.end), closes]].filter(([a, b]) => a < b)
    : [[opens, closes]];
  return { opens, closes, periods };
}

// --- the units -----------------------------------------------------------------------------------------------

function targetOn(rule, startDay) {
  let current = null;
  for (const value of rule.values) {
    if (value.from === null || parseDate(value.from) <= startDay) {
      current = value.target;
    }
  }
  if (current === null) {
    throw new NoAnswer('not-in-force');
  }
  return current;
}

function due(data, rule, startText) {
  const [dateText, timeText] = startText.split(' ');
  const startDay = parseDate(dateText);
  const start = moment(startDay, minutes(timeText));
  const target = targetOn(rule, startDay);
  const hours = hoursOf(data);
  const at = target.time ? minutes(target.time) : hours.closes;
  if (target.anchor === 'monthly') {
    let [y, m] = ymd(startDay);
    for (;;) {
      const last = ymd(dayNumber(y, m + 1, 1) - 1n)[2];
      const candidate = moment(dayNumber(y, m, Math.min(target.day, last)), at);
      if (candidate >= start) return candidate;
      [y, m] = m === 12 ? [y + 1, 1] : [y, m + 1];
    }
  }
  if (target.anchor === 'weekly') {
    const ahead = (WEEKDAYS.indexOf(target.weekday) - isoWeekday(startDay) + 7) % 7;
    const candidate = moment(startDay + BigInt(ahead), at);
    return candidate < start ? candidate + 7n * DAY : candidate;
  }
  switch (target.unit) {
    case 'rings':
      return null;
    case 'immediate':
      return start;
    case 'seconds':
    case 'minutes':
    case 'hours':
      return start + decimalTimes(target.value, UNIT_SECONDS[target.unit] * 1000000n);
    case 'calendar-days':
      return start + BigInt(target.value) * DAY;
    case 'working-days': {
      const isWorking = calendarOf(data);
      let day = startDay;
      for (let found = 0; found < Number(target.value);) {
        day += 1n;
        if (isWorking(day)) found += 1;
      }
      return moment(day, hours.closes);
    }
    case 'working-hours': {
      const isWorking = calendarOf(data);
      let remaining = decimalTimes(target.value, 3600n * 1000000n);
      let cursor = start;
      for (let day = startDay; ; day += 1n, cursor = moment(day, 0n)) {
        if (!isWorking(day)) continue;
        for (const [opens, closes] of hours.periods) {
          const begin = cursor > moment(day, opens) ? cursor : moment(day, opens);
          const end = moment(day, closes);
          if (begin >= end) continue;
          if (remaining <= end - begin) return begin + remaining;
          remaining -= end - begin;
        }
      }
    }
    default:
      throw new Error(`unknown unit ${target.unit}`);
  }
}

const [file] = process.argv.slice(2);
const data = JSON.parse(readFileSync(file, 'utf8'));
const cases = JSON.parse(readFileSync(0, 'utf8'));
const rules = new Map(data.rules.map(r => [r.id, r]));
process.stdout.write(JSON.stringify(cases.map(({ rule, start }) => {
  try {
    if (!rules.has(rule)) return { error: 'no-rule' };
    const result = due(data, rules.get(rule), start);
    return { due: result === null ? null : format(result) };
  } catch (error) {
    if (error instanceof NoAnswer) return { error: error.message };
    throw error;
  }
})) + '\n');
