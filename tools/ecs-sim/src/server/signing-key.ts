/**
 * The access key id a request was signed with (SigV4 `Authorization: AWS4-HMAC-SHA256
 * Credential=<key>/<date>/<region>/<service>/aws4_request, …`). Signatures are not
 * checked; the key only tells whose credentials a client used.
 */
export function signingAccessKey(authorization: string | string[] | undefined): string | undefined {
  const header = Array.isArray(authorization) ? authorization[0] : authorization;
  return header === undefined ? undefined : /Credential=([^/,\s]+)\//.exec(header)?.[1];
}
