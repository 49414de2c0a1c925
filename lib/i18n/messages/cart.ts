// Strings of the cart pages, in every supported language.
import { defineMessages } from "../define-messages.ts";

export const cartMessages = defineMessages({}, {});
