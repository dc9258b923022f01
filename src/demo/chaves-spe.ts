/**
 * The demo agencies' SPE key pair (RSA 2048, generated once and kept as data): every demo agency has
 * this public key registered in both environments, and the demo (and the tests) sign recibos de
 * conclusão with the private key. A demo secret: it lives in src/demo only, never in a deployment.
 */
import { createPrivateKey, type KeyObject, sign } from 'node:crypto';

export const CHAVE_PUBLICA_SPE_DEMO = `-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA2KXYHl/nMm+esHlwbS7e
D0iuqdjE3EP9Mhm7yxcKFogTrYjv4+DP267wifAhmEhkAPzQMIaXHj4c3UYUupv3
brtiSCXXa8Rze06eu3UMTwGz3muQ0q4/x9YImewZeS4XnPsg43MgZwics5RuSwRK
SLhMPonm12CKlpesXMmrNMQxVkkGWCAN/ncoTKdCWIj0f3dKIbs38it23tRjZt9v
olvHGNf1agSvy8J80nz4bfGaiTReAQYrB38G9UYlk9aoIBrJEEZsI9B9G15NOijP
7o8Goc7U/X4pPG/GLSXBczSXrV1T/37uC8VozWMpwfboC5LjnEt9tcaRIetH/75o
3QIDAQAB
-----END PUBLIC KEY-----`;

export const CHAVE_PRIVADA_SPE_DEMO = `-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDYpdgeX+cyb56w
eXBtLt4PSK6p2MTcQ/0yGbvLFwoWiBOtiO/j4M/brvCJ8CGYSGQA/NAwhpcePhzd
RhS6m/duu2JIJddrxHN7Tp67dQxPAbPea5DSrj/H1giZ7Bl5Lhec+yDjcyBnCJyz
lG5LBEpIuEw+iebXYIqWl6xcyas0xDFWSQZYIA3+dyhMp0JYiPR/d0ohuzfyK3be
1GNm32+iW8cY1/VqBK/LwnzSfPht8ZqJNF4BBisHfwb1RiWT1qggGskQRmwj0H0b
Xk06KM/ujwahztT9fik8b8YtJcFzNJetXVP/fu4LxWjNYynB9ugLkuOcS321xpEh
60f/vmjdAgMBAAECggEAByv6Swsesq86QBpNC/g8tqHP0mSQI8CGbbWnX1I8bcGE
cT6yvkbvapTQdqiB3DItSVEVLT4PW5tvxi1vOzw1hS9j0gKaroEa146jN45o4War
hyXlbewBxYJC16GWuEm702EG1jC19mM1GMbFnese8GhVcc6L2z5haBnORWYRqlXy
uktjc5KarV+uT9aiPCpXzygid6gcnwiAQyzEq4STB4qrqeCyfnAV0fpOKVgekfVX
YcNwOGmfZRb/Q3PWT+2Wncs7DxDE7Ny7krvPzWhsBe0/+LQFsKcFpZiW3GLydsb8
jfr7VU1xnHVN9z5G264psPPHarkOtL/UtlQEDxAP+wKBgQDuQ8hP0oKQ5CDjXj42
yzIxbHdRlMSbuN5YE2MrizoFTUaIl22Fld52uAYS4BLl4K6qZ27cBmA4J01Lp0rU
MNlTfdo2goZX7jursi9sq6BLzhheSatuf0Kgj4FpCNDj3ftMQRBXyYZJdLgrbJzv
VFwNicur6uO87PbkAlCW3XvqgwKBgQDoxiS0DGxP+HzkZ8d+vkytETyMi/NzUePF
VI3Z9KIbFPxScRbZbB+Vo+qnOuRUgR4zM8mjvprhJpf+3YQqiJWLdV8XvYBcO4WL
cOz4XeQXhq2KFTu4ionZqxMB/XkrBetRF0cbcnjrKlM48oi9DwaaLwFJ7HeSyZLp
ObbZIFuBHwKBgESi1A5ihug0P2EgIe3o5QGlzE18/JIbVDmtBBFkHwet9hadAJjN
znMGmgFP+UGtUsOV3jKVx5wFfle/zmeH1uMdSwIO4aJs51WTk+PLIPcVXKG0uSSw
lkHodRAL0RkDNkQGLi4LyJpafD9OH3s2IvpnanuQw6AF5y1RmWOMVAj/AoGADyi4
QzF77ElWeNl5WHu0KqEwvEZw+FWg67zx7/vKgtD/Da9nuYkdFXWzVmizbf1qphL9
UribBYap52MttEdo1cgzBSzGKzuFGuujwxj6Pb37lz6CwSXkjFRjzIFhXrfn90P4
0YTG8ymyecbxuL49w9TD1LidoOWXt7CWg9VjoCkCgYEA5GfXlz0TOcP1On9e9O7M
nQfiWQRcbdz3TY1UaoWxo09ZY5uZAKGYAgP6L0Decugxa08OW+Qvlhrx+5tvA2zg
VflVt6AbPV0Jx7JapC5XAvwM8Ct6Z61tE0RxSMDyuV0WetdmrkcUrCtFGiaEIiKW
PC59s+4rwaF5kpa6WLcuGRY=
-----END PRIVATE KEY-----`;

/** What a demo SPE posts as `hashDaAssinatura`: the RSA-SHA256 signature of the receipt's text, base64. */
export function assinarComoSpeDemo(texto: string, chavePrivadaPem: string = CHAVE_PRIVADA_SPE_DEMO): string {
  return sign('sha256', Buffer.from(texto, 'utf8'), chavePrivada(chavePrivadaPem)).toString('base64');
}

// Parsed once per key: the seed signs one receipt per trâmite at 5+.
const chavesPrivadas = new Map<string, KeyObject>();
function chavePrivada(pem: string): KeyObject {
  const guardada = chavesPrivadas.get(pem);
  if (guardada) return guardada;
  const chave = createPrivateKey(pem);
  chavesPrivadas.set(pem, chave);
  return chave;
}

/**
 * The gateway's receipt-signing key in the embedded demo (ES256, PKCS#8), kept as data like the SPE key: the demo's
 * recibos de envio are signed with it at seed time, and `npm start` configures the gateway with it when no
 * RECEIPT_SIGNING_KEY is set, so they verify with the JWKS the gateway publishes, across restarts. A demo secret.
 */
export const CHAVE_RECIBOS_DEMO = {
  pem: `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg7krk3RSyKvxymBSE
2rYXYS7JuP610LQlQZ2zu3jHz8ShRANCAARBf+ymFJsEtrrDEw1GOH1eMhB+I6e5
/us9tGKN5WtT2q8WGhVw7ftejxkDNFkxqmjH9k+2QTK9c7DA1jNAJjQo
-----END PRIVATE KEY-----`,
  alg: 'ES256',
} as const;
