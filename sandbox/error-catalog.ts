/**
 * Titles, details and HTTP statuses of the Cloud API error codes the sandbox can be told to return, from Meta's
 * error-codes page (https://developers.facebook.com/documentation/business-messaging/whatsapp/support/error-codes,
 * summarized in ../shared/docs/whatsapp-platform.md §5). Unknown codes get a generic title and HTTP 400.
 */

type ErrorInfo = { title: string; details: string; httpStatus: number };

const CATALOG: Record<number, ErrorInfo> = {
  0: { title: "AuthException", details: "We were unable to authenticate the app user.", httpStatus: 401 },
  1: { title: "API Unknown", details: "Invalid request or possible server error.", httpStatus: 500 },
  2: { title: "API Service", details: "Temporary due to downtime or due to being overloaded.", httpStatus: 503 },
  4: { title: "API Too Many Calls", details: "The app has reached its API call rate limit.", httpStatus: 400 },
  100: { title: "Invalid parameter", details: "The request included one or more unsupported or misspelled parameters.", httpStatus: 400 },
  190: { title: "Access token has expired", details: "Your access token has expired.", httpStatus: 401 },
  368: {
    title: "Temporarily blocked for policies violations",
    details: "The WhatsApp Business Account associated with the app has been restricted or disabled for violating a platform policy.",
    httpStatus: 403,
  },
  80007: { title: "Rate limit issues", details: "The WhatsApp Business Account has reached its rate limit.", httpStatus: 400 },
  130403: { title: "Recipient blocked", details: "The business has blocked this user.", httpStatus: 400 },
  130429: { title: "Rate limit hit", details: "Cloud API message throughput has been reached.", httpStatus: 400 },
  131000: { title: "Something went wrong", details: "Message failed to send due to an unknown error.", httpStatus: 500 },
  131008: { title: "Required parameter is missing", details: "The request is missing a required parameter.", httpStatus: 400 },
  131009: { title: "Parameter value is not valid", details: "One or more parameter values are invalid.", httpStatus: 400 },
  131016: { title: "Service unavailable", details: "A service is temporarily unavailable.", httpStatus: 503 },
  131026: {
    title: "Message undeliverable",
    details: "Unable to deliver message. The recipient may not be a WhatsApp user or may use an old WhatsApp version.",
    httpStatus: 400,
  },
  131031: { title: "Account has been locked", details: "The business account is restricted or disabled.", httpStatus: 403 },
  131042: { title: "Business eligibility payment issue", details: "There was an error related to your payment method.", httpStatus: 400 },
  131047: {
    title: "Re-engagement message",
    details: "Message failed to send because more than 24 hours have passed since the customer last replied to this number.",
    httpStatus: 400,
  },
  131048: {
    title: "Spam rate limit hit",
    details: "Message failed to send because there are restrictions on how many messages can be sent from this phone number.",
    httpStatus: 400,
  },
  131049: {
    title: "This message was not delivered to maintain healthy ecosystem engagement.",
    details: "In order to maintain a healthy ecosystem engagement, the message failed to be delivered.",
    httpStatus: 400,
  },
  131050: {
    title: "User has stopped marketing messages",
    details: "This recipient has chosen to stop receiving marketing messages on WhatsApp from your business.",
    httpStatus: 400,
  },
  131051: { title: "Unsupported message type", details: "Unsupported message type.", httpStatus: 400 },
  131052: { title: "Media download error", details: "Unable to download the media sent by the user.", httpStatus: 400 },
  131053: { title: "Media upload error", details: "Unable to upload the media used in the message.", httpStatus: 400 },
  131056: {
    title: "(Business Account, Consumer Account) pair rate limit hit",
    details: "Too many messages sent from the sender phone number to the same recipient phone number in a short period of time.",
    httpStatus: 400,
  },
  131057: { title: "Account in maintenance mode", details: "Business Account is in maintenance mode.", httpStatus: 503 },
  132000: {
    title: "Number of parameters does not match the expected number of params",
    details: "The number of variable parameter values does not match the template.",
    httpStatus: 400,
  },
  132001: {
    title: "Template does not exist",
    details: "The template does not exist in the specified language or has not been approved.",
    httpStatus: 404,
  },
  132005: { title: "Template Hydrated Text Too Long", details: "Translated text is too long.", httpStatus: 400 },
  132007: { title: "Template Format Character Policy Violated", details: "Template content violates a policy.", httpStatus: 400 },
  132012: { title: "Template Parameter Format Mismatch", details: "Variable parameter values are formatted incorrectly.", httpStatus: 400 },
  132015: { title: "Template is Paused", details: "The template is paused due to low quality.", httpStatus: 400 },
  132016: { title: "Template is Disabled", details: "The template has been paused too many times and is disabled.", httpStatus: 400 },
  133004: { title: "Server temporarily unavailable", details: "The server is temporarily unavailable.", httpStatus: 503 },
};

/** What Meta says for `code` (a generic entry for codes the catalog does not know). */
export function errorInfo(code: number): ErrorInfo {
  return CATALOG[code] ?? { title: `Error ${code}`, details: `The sandbox was told to fail with code ${code}.`, httpStatus: 400 };
}
