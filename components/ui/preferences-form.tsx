// Language and currency switch, a plain form so it works before any JavaScript loads.
import { savePreferences } from "../../app/_actions/preferences.ts";
import { displayCurrencies, type Locale, localeNames, locales } from "../../lib/i18n/locales.ts";
import type { Translate } from "../../lib/i18n/translate.ts";

export function PreferencesForm(props: { locale: Locale; currency: string; t: Translate }) {
  const { t } = props;
  return (
    <form
      action={savePreferences}
      className="prefs"
      // A new currency or language re-renders the selects with it (they are uncontrolled).
      key={`${props.locale}-${props.currency}`}
      aria-label={`${t("prefs.language")} / ${t("prefs.currency")}`}
    >
      <label>
        <span className="visually-hidden">{t("prefs.language")}</span>
        <select name="locale" defaultValue={props.locale} data-testid="locale-select">
          {locales.map((locale) => (
            <option key={locale} value={locale}>
              {localeNames[locale]}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span className="visually-hidden">{t("prefs.currency")}</span>
        <select name="currency" defaultValue={props.currency} data-testid="currency-select">
          {displayCurrencies.map((code) => (
            <option key={code} value={code}>
              {code}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="button-secondary">
        {t("prefs.apply")}
      </button>
    </form>
  );
}
