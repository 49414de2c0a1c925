// Strings of the seller pages, in every supported language.
import { defineMessages } from "../define-messages.ts";

export const sellerMessages = defineMessages({}, {});
