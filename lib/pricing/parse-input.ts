// zod at every boundary: parse a caller's input or throw an InvalidInputError that says what to fix.
import type { z } from "zod";
import { describeZodIssues, InvalidInputError } from "./errors.ts";

export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new InvalidInputError(`Invalid ${what}: ${describeZodIssues(result.error.issues)}.`);
  return result.data;
}
