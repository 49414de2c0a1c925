"use client";
// The search page's box: suggestions as you type (an ARIA combobox driven by the keyboard too)
// and a voice button using the browser's own speech recognition, feeding the same search.
import { useRouter } from "next/navigation";
import { type KeyboardEvent, useEffect, useId, useRef, useState } from "react";

type Suggestion = { kind: "query" | "category" | "product"; text: string; slug?: string };

export type SearchBoxStrings = {
  label: string;
  placeholder: string;
  submit: string;
  voice: string;
  voiceUnsupported: string;
  listening: string;
};

type SpeechRecognitionLike = {
  lang: string;
  interimResults: boolean;
  onresult: ((event: { results: ArrayLike<ArrayLike<{ transcript: string }>> }) => void) | null;
  onend: (() => void) | null;
  onerror: (() => void) | null;
  start(): void;
};

function speechRecognition(): (new () => SpeechRecognitionLike) | undefined {
  const w = window as unknown as Record<string, unknown>;
  return (w.SpeechRecognition ?? w.webkitSpeechRecognition) as (new () => SpeechRecognitionLike) | undefined;
}

function hrefFor(suggestion: Suggestion): string {
  if (suggestion.kind === "product" && suggestion.slug) return `/product/${suggestion.slug}`;
  if (suggestion.kind === "category" && suggestion.slug)
    return `/search?category=${encodeURIComponent(suggestion.slug)}`;
  return `/search?q=${encodeURIComponent(suggestion.text)}`;
}

export function SearchBox(props: { initialQuery: string; locale: string; strings: SearchBoxStrings }) {
  const { strings } = props;
  const router = useRouter();
  const [query, setQuery] = useState(props.initialQuery);
  const [suggestions, setSuggestions] = useState<Suggestion[]>([]);
  const [active, setActive] = useState(-1);
  const [voiceState, setVoiceState] = useState<"idle" | "listening" | "unsupported">("idle");
  const listId = useId();
  const inputId = useId();
  const typed = useRef(false);

  useEffect(() => {
    if (!typed.current || query.trim().length === 0) {
      setSuggestions([]);
      return;
    }
    const controller = new AbortController();
    // Wait for a pause in typing so each keystroke does not cost a request.
    const timer = setTimeout(async () => {
      try {
        const response = await fetch(`/api/suggest?q=${encodeURIComponent(query)}&locale=${props.locale}`, {
          signal: controller.signal,
        });
        if (!response.ok) return;
        const body = (await response.json()) as { suggestions: Suggestion[] };
        setSuggestions(body.suggestions);
        setActive(-1);
      } catch {
        // aborted or offline: keep the previous list
      }
    }, 120);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [query, props.locale]);

  function go(href: string) {
    setSuggestions([]);
    router.push(href);
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (suggestions.length === 0) return;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      setActive((i) => (i + 1) % suggestions.length);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      setActive((i) => (i <= 0 ? suggestions.length - 1 : i - 1));
    } else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      const chosen = suggestions[active];
      if (chosen) go(hrefFor(chosen));
    } else if (event.key === "Escape") {
      setSuggestions([]);
    }
  }

  function startVoice() {
    const Recognition = speechRecognition();
    if (!Recognition) {
      setVoiceState("unsupported");
      return;
    }
    const recognition = new Recognition();
    recognition.lang = props.locale === "es" ? "es-ES" : "en-US";
    recognition.interimResults = false;
    recognition.onresult = (event) => {
      const transcript = event.results[0]?.[0]?.transcript ?? "";
      if (!transcript) return;
      // The box shows what was heard, and the same search runs as if it had been typed.
      setQuery(transcript);
      go(`/search?q=${encodeURIComponent(transcript)}`);
    };
    recognition.onend = () => setVoiceState("idle");
    recognition.onerror = () => setVoiceState("idle");
    setVoiceState("listening");
    recognition.start();
  }

  return (
    <search className="search-box">
      <form
        action="/search"
        method="get"
        onSubmit={(event) => {
          event.preventDefault();
          go(`/search?q=${encodeURIComponent(query)}`);
        }}
      >
        <label htmlFor={inputId}>{strings.label}</label>
        <div className="row" style={{ position: "relative" }}>
          <div style={{ position: "relative", flex: "1 1 16rem" }}>
            <input
              id={inputId}
              name="q"
              type="search"
              value={query}
              placeholder={strings.placeholder}
              autoComplete="off"
              role="combobox"
              aria-expanded={suggestions.length > 0}
              aria-controls={listId}
              aria-autocomplete="list"
              aria-activedescendant={active >= 0 ? `${listId}-${active}` : undefined}
              data-testid="search-input"
              style={{ width: "100%" }}
              onChange={(event) => {
                typed.current = true;
                setQuery(event.target.value);
              }}
              onKeyDown={onKeyDown}
            />
            {suggestions.length > 0 && (
              <div id={listId} role="listbox" className="suggestions" data-testid="suggestions">
                {suggestions.map((s, i) => (
                  <div
                    key={`${s.kind}:${s.slug ?? s.text}`}
                    id={`${listId}-${i}`}
                    role="option"
                    aria-selected={i === active}
                    tabIndex={-1}
                    onMouseDown={(event) => {
                      event.preventDefault();
                      go(hrefFor(s));
                    }}
                  >
                    {s.text}
                    {s.kind !== "query" && <span className="muted"> · {s.kind}</span>}
                  </div>
                ))}
              </div>
            )}
          </div>
          <button type="submit">{strings.submit}</button>
          <button
            type="button"
            className="button-secondary"
            onClick={startVoice}
            aria-pressed={voiceState === "listening"}
            data-testid="voice-search"
          >
            <span aria-hidden="true">🎤</span> {strings.voice}
          </button>
        </div>
        <p role="status" className="muted">
          {voiceState === "listening"
            ? strings.listening
            : voiceState === "unsupported"
              ? strings.voiceUnsupported
              : ""}
        </p>
      </form>
    </search>
  );
}
