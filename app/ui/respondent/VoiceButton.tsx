// One large button that plays a prompt's (or an option's) recorded voice. The clip is fetched as a
// blob — from the offline worker's copy when there is no network — and played from memory, so it
// plays offline the same way it does online. One voice plays at a time; leaving the screen stops it.
import { useCallback, useEffect, useRef, useState } from "react";

/** The voice playing now, anywhere on the page: a new one stops it. */
let playing: (() => void) | null = null;

export function VoiceButton(props: {
  src: string;
  /** The prompt key, on the audio element (tests and screen captures find it by it). */
  prompt: string;
  listen: string;
  stop: string;
  /** For options: "Listen: Very safe", read by screen readers instead of the short word. */
  label?: string;
  variant: "prompt" | "option";
}) {
  const { src } = props;
  const audio = useRef<HTMLAudioElement>(null);
  const objectUrl = useRef<string | null>(null);
  const [state, setState] = useState<"idle" | "loading" | "playing">("idle");

  const stop = useCallback(() => {
    const el = audio.current;
    if (el && !el.paused) el.pause();
    setState("idle");
    if (playing === stop) playing = null;
  }, []);

  // Another clip (the next screen reuses this button) or leaving: stop, and free the clip's memory.
  useEffect(
    () => () => {
      stop();
      if (objectUrl.current) URL.revokeObjectURL(objectUrl.current);
      objectUrl.current = null;
      audio.current?.removeAttribute("src");
    },
    [src, stop],
  );

  const play = async () => {
    if (state !== "idle") return stop();
    playing?.();
    playing = stop;
    const el = audio.current;
    if (!el) return;
    try {
      if (!objectUrl.current) {
        setState("loading");
        const res = await fetch(src, { credentials: "omit" });
        if (!res.ok) throw new Error(`voice ${res.status}`);
        objectUrl.current = URL.createObjectURL(await res.blob());
      }
      if (playing !== stop) return; // another voice started meanwhile
      el.src = objectUrl.current;
      el.currentTime = 0;
      await el.play();
      setState("playing");
    } catch (e) {
      console.warn("The recorded voice could not be played", e);
      stop();
    }
  };

  const active = state !== "idle";
  return (
    <>
      <button
        type="button"
        className={`rf-button rf-voice rf-voice--${props.variant}`}
        aria-pressed={active}
        aria-label={props.label ? (active ? `${props.stop}: ${props.label}` : props.label) : undefined}
        onClick={() => void play()}
      >
        <span className="rf-voice-icon" aria-hidden="true">
          {active ? "■" : "▶"}
        </span>
        {props.variant === "prompt" ? <span>{active ? props.stop : props.listen}</span> : null}
      </button>
      <audio ref={audio} data-voice={props.prompt} preload="none" hidden onEnded={stop} onPause={() => setState((s) => (s === "playing" ? "idle" : s))} />
    </>
  );
}
