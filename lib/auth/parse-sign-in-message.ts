// Strict reader of EIP-4361 messages. viem's parseSiweMessage is deliberately lenient (regexes
// that find fields anywhere and ignore trailing text); a sign-in endpoint must instead refuse
// anything that is not exactly the grammar, so what the wallet showed is what we act on.
import { type Address, getAddress, isAddress } from "viem";
import { AuthError } from "./errors.ts";

export type SignInMessage = {
  scheme: string | undefined;
  domain: string;
  address: Address;
  statement: string | undefined;
  uri: string;
  version: "1";
  chainId: number;
  nonce: string;
  issuedAt: Date;
  expirationTime: Date | undefined;
  notBefore: Date | undefined;
  requestId: string | undefined;
  resources: string[];
};

/** Bigger than any honest message (a few hundred bytes, a handful of resources). */
export const MAX_MESSAGE_BYTES = 4096;
const MAX_RESOURCES = 32;

const HEADER = /^(?:([a-zA-Z][a-zA-Z0-9+.-]*):\/\/)?([^\s/?#]+) wants you to sign in with your Ethereum account:$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;
// Printable text only: no control characters that could hide content in a wallet's display.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find control characters
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f\u2028\u2029]/;

function malformed(detail: string): AuthError {
  return new AuthError(
    "malformed_message",
    `The sign-in message is not a valid EIP-4361 message: ${detail}. Ask your wallet to sign the message exactly as the site prepared it.`,
  );
}

function parseDate(field: string, value: string): Date {
  const date = new Date(value);
  if (!RFC3339.test(value) || Number.isNaN(date.getTime())) {
    throw malformed(`"${field}" must be an RFC 3339 date-time such as 2026-01-31T12:00:00Z`);
  }
  return date;
}

function isUri(value: string): boolean {
  if (/\s/.test(value)) return false;
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

export function parseSignInMessage(message: string): SignInMessage {
  if (Buffer.byteLength(message, "utf8") > MAX_MESSAGE_BYTES) {
    throw new AuthError(
      "message_too_large",
      `The sign-in message is larger than ${MAX_MESSAGE_BYTES} bytes; sign the message the site prepared, without extra resources or text.`,
    );
  }
  if (message.includes("\r")) throw malformed("lines must end with \\n only");
  if (CONTROL.test(message)) throw malformed("it contains control characters");

  const lines = message.split("\n");
  let at = 0;
  const next = () => lines[at++];

  const header = HEADER.exec(next() ?? "");
  if (!header) throw malformed('the first line must be "<domain> wants you to sign in with your Ethereum account:"');
  const [, scheme, domain] = header as unknown as [string, string | undefined, string];

  const address = next() ?? "";
  if (!/^0x[0-9a-fA-F]{40}$/.test(address) || !isAddress(address, { strict: true })) {
    throw malformed("the second line must be an Ethereum address with a valid EIP-55 checksum");
  }
  if (next() !== "") throw malformed("a blank line must follow the address");

  let statement: string | undefined;
  const afterBlank = next();
  if (afterBlank !== "") {
    statement = afterBlank;
    if (next() !== "") throw malformed("the statement must be a single line followed by a blank line");
  }

  const field = (name: string, required: boolean): string | undefined => {
    const line = lines[at];
    const prefix = `${name}: `;
    if (line?.startsWith(prefix)) {
      at++;
      const value = line.slice(prefix.length);
      if (value.length === 0) throw malformed(`"${name}" is empty`);
      return value;
    }
    if (required) throw malformed(`expected "${name}: …" on line ${at + 1}`);
    return undefined;
  };

  const uri = field("URI", true) as string;
  if (!isUri(uri)) throw malformed('"URI" must be an absolute URI');
  if (field("Version", true) !== "1") throw malformed('"Version" must be 1');
  const chainText = field("Chain ID", true) as string;
  if (!/^[1-9]\d{0,15}$/.test(chainText)) throw malformed('"Chain ID" must be a positive integer');
  const nonce = field("Nonce", true) as string;
  if (!/^[a-zA-Z0-9]{8,128}$/.test(nonce)) throw malformed('"Nonce" must be 8 to 128 letters or digits');
  const issuedAt = parseDate("Issued At", field("Issued At", true) as string);
  const expiration = field("Expiration Time", false);
  const notBefore = field("Not Before", false);
  // EIP-4361 allows an empty request id, which field() would refuse.
  let requestId: string | undefined;
  if (lines[at] === "Request ID: ") {
    requestId = "";
    at++;
  } else {
    requestId = field("Request ID", false);
  }

  const resources: string[] = [];
  if (lines[at] === "Resources:") {
    at++;
    while (lines[at]?.startsWith("- ")) {
      const resource = (lines[at] as string).slice(2);
      if (!isUri(resource)) throw malformed(`resource "${resource}" is not an absolute URI`);
      resources.push(resource);
      at++;
    }
    if (resources.length > MAX_RESOURCES) throw malformed(`at most ${MAX_RESOURCES} resources are allowed`);
  }
  if (at !== lines.length) throw malformed(`unexpected text on line ${at + 1}`);

  return {
    scheme,
    domain,
    address: getAddress(address),
    statement,
    uri,
    version: "1",
    chainId: Number(chainText),
    nonce,
    issuedAt,
    expirationTime: expiration === undefined ? undefined : parseDate("Expiration Time", expiration),
    notBefore: notBefore === undefined ? undefined : parseDate("Not Before", notBefore),
    requestId,
    resources,
  };
}
