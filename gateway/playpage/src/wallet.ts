// StarkNet wallet sign-in: the injected wallet (get-starknet's
// window.starknet, as Argent X and Braavos put it there) shares an account
// and signs the node's SNIP-12 challenge; the node checks the signature
// through the account contract and answers a token pair.
import { type Auth, type OkBody, type RequestBody, type RestClient, type Tokens, unwrap } from "../../../sdk/typescript/src/index.js";

type Challenge = OkBody<"/api/v1/auth/wallet/starknet/challenge", "post">;
type Verify = RequestBody<"/api/v1/auth/wallet/starknet/verify", "post">;

/** A felt as wallets answer it: hex or decimal string, number or bigint. */
type Felt = string | number | bigint;

/** A signature as wallets answer it: a felt list (Argent, Braavos) or starknet.js's {r, s}. */
type Signature = Felt[] | { r: Felt; s: Felt };

/**
 * The injected wallet, as far as signing in uses it: the get-starknet v3
 * shape (enable, selectedAddress, account.signMessage) or the newer
 * request API (wallet_requestAccounts, wallet_signTypedData).
 */
export interface InjectedStarknet {
  enable?(options?: { starknetVersion?: string }): Promise<unknown>;
  request?(call: { type: string; params?: unknown }): Promise<unknown>;
  selectedAddress?: string;
  account?: { address?: string; signMessage?(typedData: unknown): Promise<Signature> };
}

declare global {
  interface Window {
    starknet?: InjectedStarknet;
  }
}

/** WalletError is the wallet refusing or failing: the player said no, or it cannot sign. */
export class WalletError extends Error {
  override readonly name = "WalletError";
}

/**
 * signInStarknet signs auth in as the wallet's account: the wallet shares
 * its address, signs the node's challenge for it, and the node's answer to
 * the signature becomes auth's tokens. It returns them with the address.
 */
export async function signInStarknet(auth: Auth, rest: RestClient, wallet: InjectedStarknet): Promise<{ tokens: Tokens; address: string }> {
  const shared = await fromWallet("share an account", () => accountOf(wallet));
  const challenge = await challengeFor(rest, shared);
  const signature = await fromWallet("sign the sign-in message", () => sign(wallet, challenge.typedData));
  const body: Verify = { address: challenge.address, signature };
  return { tokens: await auth.signInWith("/api/v1/auth/wallet/starknet/verify", body), address: challenge.address };
}

async function accountOf(wallet: InjectedStarknet): Promise<string> {
  const accounts = wallet.enable ? await wallet.enable() : await wallet.request?.({ type: "wallet_requestAccounts" });
  const address = (Array.isArray(accounts) ? accounts[0] : undefined) ?? wallet.selectedAddress ?? wallet.account?.address;
  if (typeof address !== "string" || address === "") throw new WalletError("the wallet shared no account");
  return address;
}

async function sign(wallet: InjectedStarknet, typedData: unknown): Promise<string[]> {
  if (wallet.account?.signMessage) return felts(await wallet.account.signMessage(typedData));
  if (wallet.request) return felts(await wallet.request({ type: "wallet_signTypedData", params: typedData }));
  throw new WalletError("the wallet cannot sign messages");
}

// felts writes a wallet's signature as the node reads it: a list of
// strings (bigints as hex, which JSON cannot carry).
function felts(sig: unknown): string[] {
  const list = Array.isArray(sig) ? sig : isRS(sig) ? [sig.r, sig.s] : undefined;
  if (!list?.length || !list.every(isFelt)) throw new WalletError("the wallet answered no signature");
  return list.map((f) => (typeof f === "bigint" ? `0x${f.toString(16)}` : String(f)));
}

function isFelt(v: unknown): v is Felt {
  return typeof v === "string" || typeof v === "number" || typeof v === "bigint";
}

function isRS(v: unknown): v is { r: Felt; s: Felt } {
  return typeof v === "object" && v !== null && "r" in v && "s" in v && isFelt(v.r) && isFelt(v.s);
}

// fromWallet runs a wallet call, turning whatever it throws (an Error, a
// string, an {code, message} object) into a WalletError that says what
// the wallet was asked.
async function fromWallet<T>(asked: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof WalletError) throw err;
    const why = err instanceof Error ? err.message : typeof err === "object" && err !== null && "message" in err ? String(err.message) : String(err);
    throw new WalletError(`the wallet did not ${asked}${why ? `: ${why}` : ""}`);
  }
}

async function challengeFor(rest: RestClient, address: string): Promise<Challenge> {
  return unwrap(await rest.POST("/api/v1/auth/wallet/starknet/challenge", { body: { address } }));
}
