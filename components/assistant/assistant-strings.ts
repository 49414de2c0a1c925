// The panel's strings, picked from the catalog on the server and handed to the client components
// (client code never loads the whole catalog).
import type { Translate } from "../../lib/i18n/translate.ts";

export function assistantStrings(t: Translate) {
  return {
    open: t("assistant.open"),
    close: t("assistant.close"),
    title: t("assistant.title"),
    loading: t("assistant.loading"),
    intro: t("assistant.intro"),
    inputLabel: t("assistant.inputLabel"),
    placeholder: t("assistant.placeholder"),
    send: t("assistant.send"),
    stop: t("assistant.stop"),
    voiceIn: t("assistant.voiceIn"),
    listening: t("assistant.listening"),
    voiceUnsupported: t("assistant.voiceUnsupported"),
    voiceOut: t("assistant.voiceOut"),
    you: t("assistant.you"),
    bot: t("assistant.bot"),
    thinking: t("assistant.thinking"),
    // Templates: the panel fills {tool}, {quantity}, … itself.
    tool: t("assistant.tool"),
    toolFailed: t("assistant.toolFailed"),
    noModel: t("assistant.noModel"),
    proposalCart: t("assistant.proposal.cart"),
    proposalGroupBuy: t("assistant.proposal.groupBuy"),
    proposalGroupBuyHint: t("assistant.proposal.groupBuyHint"),
    openProduct: t("assistant.proposal.openProduct"),
    confirm: t("assistant.confirm"),
    dismiss: t("assistant.dismiss"),
    confirmed: t("assistant.confirmed"),
    dismissed: t("assistant.dismissed"),
    guardrail: t("assistant.guardrail"),
    error: t("assistant.error"),
    tooMany: t("assistant.tooMany"),
  };
}

export type AssistantStrings = ReturnType<typeof assistantStrings>;

export function fill(template: string, vars: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (match, name: string) => String(vars[name] ?? match));
}
