import * as z from 'zod';

/** Every time in an answer: ISO-8601 UTC with milliseconds, e.g. `2026-11-27T09:00:00.000Z`. */
export const Time = z.iso.datetime();

/** A time that may not be known (yet): null then. */
export const MaybeTime = Time.nullable();

/** An end that may never come: a block "for good" answers `indefinitely`. */
export const Until = z.union([Time, z.literal('indefinitely')]).nullable();
