// Weekly time buckets shared by the generator, the demand model and the price model. Weeks start on
// Monday (UTC); week-of-year is counted from the first Monday of January so seasonal features line
// up across years.
const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;

/** Monday 00:00 UTC of the week containing `date`. */
export function weekStart(date: Date): Date {
  const day = Math.floor(date.getTime() / DAY_MS);
  // 1970-01-01 was a Thursday: day 0 is 3 days after a Monday.
  const monday = day - ((day + 3) % 7);
  return new Date(monday * DAY_MS);
}

export function addWeeks(date: Date, weeks: number): Date {
  return new Date(date.getTime() + weeks * WEEK_MS);
}

export function weeksBetween(from: Date, to: Date): number {
  return Math.round((weekStart(to).getTime() - weekStart(from).getTime()) / WEEK_MS);
}

/** 0..51: which week of the year, for seasonal features (week 52 of long years folds into 51). */
export function weekOfYear(date: Date): number {
  const jan1 = Date.UTC(date.getUTCFullYear(), 0, 1);
  return Math.min(51, Math.floor((date.getTime() - jan1) / WEEK_MS));
}

export function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}
