// One line on the links page: what a tablet downloads for this survey (text and recorded voices).
import { useWords } from "~/i18n/staff";
import type { VoicesWords } from "~/i18n/staff/voices";
import type { BundleSize as Size } from "~/voices/bundle-size.server";
import { useSize } from "./VoicesPage";

export function BundleSize(props: { words: VoicesWords; size: Size | null; surveyId: string }) {
  const t = useWords(props.words);
  const size = useSize(t);
  if (!props.size) return null;
  const { text, audio, clips } = props.size;
  return (
    <p className="muted bundle-size" data-bundle-bytes={text + audio}>
      {t("bundleSize", { size: size(text + audio), text: size(text), n: clips, audio: size(audio) })}{" "}
      <a href={`/surveys/${props.surveyId}/voices`}>{t("openVoices")}</a>
    </p>
  );
}
