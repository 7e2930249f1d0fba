// StarkNet wallet sign-in signed by starknet.js itself, the way a dapp's
// frontend does it: fetch the SNIP-12 challenge, account.signMessage, post
// the signature, get tokens. The account contract on the fake node checks
// the signature against the account's public key over the hash the server
// computes, so this passes only if the server's SNIP-12 hash equals
// starknet.js's. Run by test/e2e TestServer_StarknetSignIn_StarknetJS
// (internal/nodetest), which sets:
//
//   PROOFSTELL_URL            the server's base URL
//   STARKNET_RPC_URL          the fake StarkNet node
//   STARKNET_ACCOUNT_ADDRESS  an account deployed on it
//   STARKNET_PRIVATE_KEY      its owner's Stark private key
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Account, RpcProvider, stark, typedData } from 'starknet';

const base = required('PROOFSTELL_URL');
const address = required('STARKNET_ACCOUNT_ADDRESS');
const account = new Account({
  provider: new RpcProvider({ nodeUrl: required('STARKNET_RPC_URL') }),
  address,
  signer: required('STARKNET_PRIVATE_KEY'),
});

function required(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
}

// post sends a JSON body and returns the status and the decoded answer.
async function post(path, body) {
  const res = await fetch(base + path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

// challenge asks the server for the typed data this account must sign.
async function challenge() {
  const { status, body } = await post('/api/v1/auth/wallet/starknet/challenge', { address });
  assert.equal(status, 200, JSON.stringify(body));
  return body.typedData;
}

// verify posts a signature and returns the answer.
function verify(signature) {
  return post('/api/v1/auth/wallet/starknet/verify', { address, signature });
}

// assertSignedIn checks a verify answer carries working tokens.
async function assertSignedIn({ status, body }) {
  assert.equal(status, 200, JSON.stringify(body));
  assert.ok(body.accessToken, 'access token');
  assert.ok(body.refreshToken, 'refresh token');
  const me = await fetch(base + '/api/v1/players/me', {
    headers: { Authorization: `Bearer ${body.accessToken}` },
  });
  assert.equal(me.status, 200);
}

// The Signer answers a noble {r, s, recovery} object of bigints, which
// JSON.stringify refuses; these are the ways a frontend sends it.
const shapes = {
  // stark.signatureToDecimalArray; wallet_signTypedData (WalletAccount.
  // signMessage) answers a string[] too, decimal or hex by wallet.
  'decimal strings': (sig) => stark.signatureToDecimalArray(sig),
  // stark.formatSignature: "0x" hex strings.
  'hex strings': (sig) => stark.formatSignature(sig),
  // The {r, s, recovery} object itself, bigints written as strings.
  '{r, s} object': (sig) => JSON.parse(JSON.stringify(sig, (_, v) => (typeof v === 'bigint' ? v.toString() : v))),
};

for (const [name, shape] of Object.entries(shapes)) {
  test(`signs in with account.signMessage, sent as ${name}`, async () => {
    const td = await challenge();
    const signature = await account.signMessage(td);
    await assertSignedIn(await verify(shape(signature)));
  });
}

test('the typed data is SNIP-12 revision 1 and names the origin', async () => {
  const td = await challenge();
  assert.equal(td.domain.revision, '1');
  assert.equal(td.primaryType, 'SignIn');
  assert.ok(td.message.origin.startsWith('http'), td.message.origin);
  // starknet.js can hash it as it is (no shape left for the wallet to fix).
  assert.match(typedData.getMessageHash(td, address), /^0x[0-9a-f]+$/);
});

// A signature over anything but the challenge as issued is refused: the
// server rebuilds the message from its own record of the challenge.
const tampers = {
  nonce: (td) => { td.message.nonce = '0x1234'; },
  statement: (td) => { td.message.statement = 'Send all my tokens'; },
  origin: (td) => { td.message.origin = 'https://evil.example.com'; },
  'chain id': (td) => { td.domain.chainId = 'SN_MAIN'; },
};

for (const [field, tamper] of Object.entries(tampers)) {
  test(`a signature over a message with another ${field} is refused`, async () => {
    const td = await challenge();
    tamper(td);
    const signature = await account.signMessage(td);
    const { status, body } = await verify(stark.signatureToDecimalArray(signature));
    assert.equal(status, 401, JSON.stringify(body));
    assert.equal(body.error.code, 'invalid_signature');
  });
}
