// Strings of the admin pages, in every supported language.
import { defineMessages } from "../define-messages.ts";

export const adminMessages = defineMessages({}, {});
