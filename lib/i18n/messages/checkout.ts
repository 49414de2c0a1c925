// Strings of the checkout pages, in every supported language.
import { defineMessages } from "../define-messages.ts";

export const checkoutMessages = defineMessages({}, {});
