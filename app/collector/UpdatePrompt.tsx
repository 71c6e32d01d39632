// "A new version of the app is ready", shown by the kiosk only between respondents (its start and
// end screens, and the facilitator panel), in the language on screen. "Later" hides it until the
// next respondent; a respondent mid-survey never sees it.
import { useState } from "react";
import { respondentWords } from "../i18n/respondent";
import { useAppUpdate } from "./app-update";

export function UpdatePrompt(props: { lang: string; dir: string; show: boolean }) {
  const { ready, apply } = useAppUpdate();
  const [later, setLater] = useState(false);
  if (!ready || !props.show || later) return null;
  const w = respondentWords(props.lang);
  return (
    <div className="app-update" role="status" lang={props.lang} dir={props.dir} data-testid="app-update">
      <p>{w.updateReady}</p>
      <button type="button" className="rf-button rf-button--primary" onClick={apply}>
        {w.updateNow}
      </button>
      <button type="button" className="rf-button rf-button--secondary" onClick={() => setLater(true)}>
        {w.updateLater}
      </button>
    </div>
  );
}
