// Strings of the auditor pages, in every supported language.
import { defineMessages } from "../define-messages.ts";

export const auditorMessages = defineMessages({}, {});
