"use client";
// Posting to a live chat. Each message gets an id made here, kept until the server accepts it, so
// pressing Send again after a network failure cannot post it twice. The line appears in the chat
// log through the live stream, like everyone else's.
import { useActionState, useEffect, useRef } from "react";
import type { CartActionState } from "../../app/cart/actions.ts";
import { postLiveChat } from "../../app/live/actions.ts";

export type ChatFormStrings = { message: string; hint: string; send: string; sending: string };

export function ChatForm(props: { eventId: string; maxLength: number; strings: ChatFormStrings }) {
  const { strings } = props;
  const [state, dispatch, pending] = useActionState<CartActionState, FormData>(postLiveChat, {
    status: "idle",
    message: "",
  });
  const messageId = useRef<string | null>(null);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (state.status !== "ok") return;
    messageId.current = null;
    if (input.current) input.current.value = "";
  }, [state]);

  const submit = (form: FormData) => {
    messageId.current ??= crypto.randomUUID();
    form.set("clientMessageId", messageId.current);
    dispatch(form);
  };

  return (
    <form action={submit} className="stack" data-testid="live-chat-form">
      <input type="hidden" name="eventId" value={props.eventId} />
      <label htmlFor="live-chat-input">{strings.message}</label>
      <div className="row live-chat-row">
        <input
          ref={input}
          id="live-chat-input"
          name="body"
          type="text"
          required
          maxLength={props.maxLength}
          autoComplete="off"
          aria-describedby="live-chat-hint"
          onChange={() => {
            // Edited text is a new message, not a retry of the one that failed.
            if (state.status !== "idle") messageId.current = null;
          }}
        />
        <button type="submit" disabled={pending}>
          {pending ? strings.sending : strings.send}
        </button>
      </div>
      <p id="live-chat-hint" className="muted">
        {strings.hint}
      </p>
      <p role="status" aria-live="polite" className={state.status === "error" ? "error" : "visually-hidden"}>
        {state.message}
      </p>
    </form>
  );
}
