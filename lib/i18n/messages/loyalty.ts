// Strings of the loyalty pages, in every supported language.
import { defineMessages } from "../define-messages.ts";

export const loyaltyMessages = defineMessages({}, {});
