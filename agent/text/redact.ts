/**
 * Masks secrets a customer may type (card numbers, bank accounts, passwords, one-time codes) before the text reaches
 * a model, a checkpoint, a trace or a log. Order numbers and ordinary amounts survive: a card number must pass the
 * Luhn check, an account number must follow an account word, a code must follow a code word.
 */

const CARD = /(?<![\w])(?:\d[ -]?){12,18}\d(?![\w])/g;
const IBAN = /\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,4})?\b/g;
const ACCOUNT_WORDS =
  "account(?: number| no\\.?)?|acct|bank account|cuenta(?: bancaria)?|conta(?: bancária)?|compte(?: bancaire)?|konto(?:nummer)?|conto(?: corrente)?|hesap(?: numarası)?|rekening|खाता|حساب|账户|账号|口座";
const ACCOUNT = new RegExp(`((?:${ACCOUNT_WORDS})\\s*(?:#|no\\.?|number|número|numero|:)?\\s*)(\\d[\\d -]{5,30}\\d)`, "giu");
const PASSWORD_WORDS =
  "password|passwd|pwd|pin|contraseña|clave|senha|mot de passe|passwort|kennwort|parola|şifre|kata sandi|sandi|पासवर्ड|كلمة المرور|كلمة السر|密码|パスワード|пароль";
const PASSWORD = new RegExp(`((?:${PASSWORD_WORDS})\\s*(?:is|es|é|est|ist|è|:|=|-)?\\s*)(\\S+)`, "giu");
const CODE_WORDS =
  "otp|one[- ]time (?:code|password)|verification code|security code|code|código|codigo|code de vérification|bestätigungscode|codice|kod|kode|कोड|رمز|الرمز|验证码|認証コード|код";
const OTP = new RegExp(`((?:${CODE_WORDS})\\s*(?:is|es|é|est|ist|è|:|=|-)?\\s*)(\\d{4,8})(?!\\d)`, "giu");

export type Redaction = { text: string; masked: ("card" | "iban" | "account" | "password" | "otp")[] };

/** Returns the text with secrets replaced by `[card ••••1234]`, `[account]`, `[password]`, `[code]`. */
export function redactSecrets(input: string): Redaction {
  const masked = new Set<Redaction["masked"][number]>();
  let text = input.replace(CARD, (m) => {
    const digits = m.replace(/\D/g, "");
    if (digits.length < 13 || digits.length > 19 || !passesLuhn(digits)) return m;
    masked.add("card");
    return `[card ••••${digits.slice(-4)}]`;
  });
  text = text.replace(IBAN, (m) => {
    if (m.replace(/\s/g, "").length < 15) return m;
    masked.add("iban");
    return "[account]";
  });
  text = text.replace(ACCOUNT, (_m, lead: string) => {
    masked.add("account");
    return `${lead}[account]`;
  });
  text = text.replace(PASSWORD, (_m, lead: string) => {
    masked.add("password");
    return `${lead}[password]`;
  });
  text = text.replace(OTP, (_m, lead: string) => {
    masked.add("otp");
    return `${lead}[code]`;
  });
  return { text, masked: [...masked] };
}

function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}
