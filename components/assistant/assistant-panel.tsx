"use client";
// The chat panel, loaded on the first click of "Ask NeoCart": a streamed conversation with the
// assistant route, the tools it used, proposals with Confirm buttons, voice questions
// (SpeechRecognition) and spoken answers (speechSynthesis), and a notice when no AI model answers.
import Link from "next/link";
import { type FormEvent, Fragment, type KeyboardEvent, useEffect, useId, useRef, useState } from "react";
import type { Proposal } from "../../lib/assistant/tools.ts";
import styles from "./assistant.module.css";
import { type AssistantStrings, fill } from "./assistant-strings.ts";
import { ProposalCard } from "./proposal-card.tsx";
import { readEventStream } from "./read-event-stream.ts";
import { recognitionConstructor, speak, stopSpeaking } from "./speech.ts";

type Turn =
  | { role: "user"; text: string }
  | {
      role: "assistant";
      text: string;
      tools: { id: string; name: string; ok: boolean | null }[];
      proposals: Proposal[];
      retrieval: boolean;
      error: string | null;
      done: boolean;
    };

const PRODUCT_LINK = /\[(\/product\/[A-Za-z0-9-]+)\]/g;

/** Answer text with the retrieval answer's `[/product/slug]` references turned into links. */
function AnswerText(props: { text: string }) {
  const parts = props.text.split(PRODUCT_LINK);
  return (
    <>
      {parts.map((part, k) =>
        k % 2 === 1 ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one string never reorder
          <Link key={k} href={part}>
            {part}
          </Link>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: as above
          <Fragment key={k}>{part}</Fragment>
        ),
      )}
    </>
  );
}

export function AssistantPanel(props: { strings: AssistantStrings; locale: string; onClose(): void }) {
  const { strings, locale } = props;
  const [turns, setTurns] = useState<Turn[]>([]);
  const [input, setInput] = useState("");
  const [busy, setBusy] = useState(false);
  const [listening, setListening] = useState(false);
  const [voiceProblem, setVoiceProblem] = useState<string | null>(null);
  const [speakAnswers, setSpeakAnswers] = useState(false);
  const controller = useRef<AbortController | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const logRef = useRef<HTMLOListElement>(null);
  const titleId = useId();
  const inputId = useId();

  useEffect(() => {
    inputRef.current?.focus();
    return () => {
      controller.current?.abort();
      stopSpeaking();
    };
  }, []);

  // Keep the newest text in view as it streams in; turns is the trigger.
  // biome-ignore lint/correctness/useExhaustiveDependencies: scroll whenever the log changes
  useEffect(() => {
    const log = logRef.current;
    if (log) log.scrollTop = log.scrollHeight;
  }, [turns]);

  function updateLast(change: (turn: Extract<Turn, { role: "assistant" }>) => Extract<Turn, { role: "assistant" }>) {
    setTurns((all) => {
      const last = all.at(-1);
      if (last?.role !== "assistant") return all;
      return [...all.slice(0, -1), change(last)];
    });
  }

  async function ask(question: string) {
    const text = question.trim();
    if (!text || busy) return;
    const history = [...turns, { role: "user" as const, text }];
    setTurns([
      ...history,
      { role: "assistant", text: "", tools: [], proposals: [], retrieval: false, error: null, done: false },
    ]);
    setInput("");
    setBusy(true);
    stopSpeaking();
    const abort = new AbortController();
    controller.current = abort;
    let answer = "";
    try {
      const response = await fetch("/api/assistant", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          messages: history
            .filter((turn) => turn.text.trim() !== "")
            .slice(-20)
            .map((turn) => ({ role: turn.role, content: turn.text.slice(0, 2000) })),
        }),
        signal: abort.signal,
      });
      if (!response.ok || !response.body) {
        const body = (await response.json().catch(() => ({}))) as { error?: string };
        const seconds = response.headers.get("retry-after");
        const message =
          response.status === 429 && seconds
            ? fill(strings.tooMany, { seconds })
            : fill(strings.error, { message: body.error ?? `HTTP ${response.status}` });
        updateLast((turn) => ({ ...turn, error: message, done: true }));
        return;
      }
      for await (const event of readEventStream(response.body)) {
        switch (event.type) {
          case "text":
            answer += event.delta;
            updateLast((turn) => ({ ...turn, text: turn.text + event.delta }));
            break;
          case "tool_call":
            updateLast((turn) => ({ ...turn, tools: [...turn.tools, { id: event.id, name: event.name, ok: null }] }));
            break;
          case "tool_result":
            updateLast((turn) => ({
              ...turn,
              tools: turn.tools.map((tool) => (tool.id === event.id ? { ...tool, ok: event.ok } : tool)),
            }));
            break;
          case "proposal":
            updateLast((turn) => ({ ...turn, proposals: [...turn.proposals, event.proposal] }));
            break;
          case "notice":
            break;
          case "done":
            updateLast((turn) => ({ ...turn, retrieval: event.mode === "retrieval", done: true }));
            break;
          case "error":
            updateLast((turn) => ({ ...turn, error: fill(strings.error, { message: event.message }), done: true }));
            break;
        }
      }
      if (speakAnswers && answer) speak(answer, locale);
    } catch (error) {
      if (!abort.signal.aborted) {
        updateLast((turn) => ({ ...turn, error: fill(strings.error, { message: (error as Error).message }) }));
      }
    } finally {
      updateLast((turn) => ({ ...turn, done: true }));
      controller.current = null;
      setBusy(false);
    }
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void ask(input);
  }

  function listen() {
    const Recognition = recognitionConstructor();
    if (!Recognition) {
      setVoiceProblem(strings.voiceUnsupported);
      return;
    }
    setVoiceProblem(null);
    const recognition = new Recognition();
    recognition.lang = locale === "es" ? "es-ES" : "en-US";
    recognition.interimResults = false;
    recognition.onresult = (event) => {
      const transcript = event.results[0]?.[0]?.transcript ?? "";
      if (transcript) {
        setInput(transcript);
        void ask(transcript);
      }
    };
    recognition.onend = () => setListening(false);
    recognition.onerror = () => setListening(false);
    setListening(true);
    recognition.start();
  }

  function onKeyDown(event: KeyboardEvent<HTMLElement>) {
    if (event.key === "Escape") props.onClose();
  }

  return (
    // A non-modal dialog: the page stays usable beside it, Escape closes it.
    <section
      className={styles.panel}
      role="dialog"
      aria-labelledby={titleId}
      onKeyDown={onKeyDown}
      data-testid="assistant-panel"
    >
      <div className={styles.header}>
        <h2 id={titleId}>{strings.title}</h2>
        <button type="button" className="button-secondary" onClick={props.onClose} data-testid="assistant-close">
          <span aria-hidden="true">×</span>
          <span className="visually-hidden">{strings.close}</span>
        </button>
      </div>
      <ol className={styles.log} ref={logRef} aria-live="polite" aria-busy={busy} data-testid="assistant-log">
        <li className="muted">{strings.intro}</li>
        {turns.map((turn, k) =>
          turn.role === "user" ? (
            // biome-ignore lint/suspicious/noArrayIndexKey: turns are only ever appended
            <li key={k} className={styles.user} data-testid="assistant-question">
              <span className={styles.who}>{strings.you}</span>
              {turn.text}
            </li>
          ) : (
            // biome-ignore lint/suspicious/noArrayIndexKey: as above
            <li key={k} className={styles.bot} data-testid="assistant-answer" data-done={turn.done}>
              <span className={styles.who}>{strings.bot}</span>
              {turn.retrieval && (
                <p className="notice" data-testid="assistant-no-model">
                  {strings.noModel}
                </p>
              )}
              {turn.tools.map((tool) => (
                <span key={tool.id} className={styles.tool} data-testid="assistant-tool">
                  {fill(tool.ok === false ? strings.toolFailed : strings.tool, { tool: tool.name })}
                  <br />
                </span>
              ))}
              <span data-testid="assistant-answer-text">
                <AnswerText text={turn.text} />
              </span>
              {!turn.done && turn.text === "" && <span className="muted">{strings.thinking}</span>}
              {turn.proposals.map((proposal, p) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: proposals are only ever appended
                <ProposalCard key={p} proposal={proposal} strings={strings} locale={locale} />
              ))}
              {turn.error && (
                <p className="error" role="alert">
                  {turn.error}
                </p>
              )}
            </li>
          ),
        )}
      </ol>
      <form className={styles.form} onSubmit={onSubmit}>
        <label className="visually-hidden" htmlFor={inputId}>
          {strings.inputLabel}
        </label>
        <input
          id={inputId}
          ref={inputRef}
          type="text"
          value={input}
          onChange={(event) => setInput(event.target.value)}
          placeholder={strings.placeholder}
          maxLength={2000}
          autoComplete="off"
          data-testid="assistant-input"
        />
        {busy ? (
          <button type="button" className="button-secondary" onClick={() => controller.current?.abort()}>
            {strings.stop}
          </button>
        ) : (
          <button type="submit" data-testid="assistant-send">
            {strings.send}
          </button>
        )}
        <button
          type="button"
          className="button-secondary"
          onClick={listen}
          aria-pressed={listening}
          disabled={busy || listening}
          data-testid="assistant-voice"
        >
          <span aria-hidden="true">🎤</span>
          <span className="visually-hidden">{strings.voiceIn}</span>
        </button>
        <label className={styles.toggle}>
          <input
            type="checkbox"
            checked={speakAnswers}
            onChange={(event) => {
              setSpeakAnswers(event.target.checked);
              if (!event.target.checked) stopSpeaking();
            }}
            data-testid="assistant-speak"
          />
          {strings.voiceOut}
        </label>
        <p role="status" className="muted" style={{ margin: 0, width: "100%" }}>
          {listening ? strings.listening : (voiceProblem ?? "")}
        </p>
      </form>
    </section>
  );
}
