"use client";
// The "Ask NeoCart" button on every page. It is all the assistant costs a page up front: the panel
// (chat, streaming, voice, proposals) is a separate chunk fetched by import() on the first click.
import { type ComponentType, useState } from "react";
import styles from "./assistant.module.css";
import type { AssistantStrings } from "./assistant-strings.ts";

type PanelProps = { strings: AssistantStrings; locale: string; onClose(): void };
type PanelModule = { AssistantPanel: ComponentType<PanelProps> };

let loading: Promise<PanelModule> | undefined;
const loadPanel = () => {
  loading ??= import("./assistant-panel.tsx");
  return loading;
};

export function AssistantLauncher(props: { strings: AssistantStrings; locale: string }) {
  const [Panel, setPanel] = useState<ComponentType<PanelProps> | null>(null);
  const [open, setOpen] = useState(false);
  const [failed, setFailed] = useState(false);

  async function openPanel() {
    setOpen(true);
    try {
      const module = await loadPanel();
      setPanel(() => module.AssistantPanel);
    } catch {
      loading = undefined;
      setFailed(true);
    }
  }

  return (
    <>
      {!open && (
        <button
          type="button"
          className={styles.launcher}
          onClick={openPanel}
          // Hovering or focusing warms the chunk so the click feels instant; still nothing before.
          onPointerEnter={() => void loadPanel().catch(() => undefined)}
          onFocus={() => void loadPanel().catch(() => undefined)}
          aria-haspopup="dialog"
          data-testid="assistant-open"
        >
          {props.strings.open}
        </button>
      )}
      {open && !Panel && (
        <p className={styles.loading} role="status">
          {failed ? props.strings.error.replace("{message}", "offline?") : props.strings.loading}
        </p>
      )}
      {open && Panel && <Panel strings={props.strings} locale={props.locale} onClose={() => setOpen(false)} />}
    </>
  );
}
