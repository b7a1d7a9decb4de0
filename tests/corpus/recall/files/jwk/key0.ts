export const jwk = {
  kty: 'RSA',
  n: 'j7VveEwC6alz7L2WRHnkwIqDV5U6RebtULWx6PvcVMSD8X8N8YmOnjJWFu9Y5OxCHmGmtkSx46t53Xyk8XRt2p',
  e: 'AQAB',
  d: 'po1tbRp3j51mhgqIA1bJEaU82IA8ea9yo3nTRPHxDPz7YWPOx0PkAF-cVH1DcIZKXxxncQu12sEwOg43-RNKpV',
};
