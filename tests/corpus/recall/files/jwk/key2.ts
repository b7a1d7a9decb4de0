export const jwk = {
  kty: 'RSA',
  n: 'fr2W1H3sV-CxufYQFP-LfZ96_-Dn6i1lAPwDorBHrfM7HfybgqLdQ8jSBfEGRpq-BdJJ2zdfHM-0YZfoVG4KC8',
  e: 'AQAB',
  d: 'CHyfzPKhUR-B_KYLggKPyAes1bF7dgTvR4rKU3PNI6TRzR0hhJesOMiClG55IL7k0ZJMelGOLpbh5tDGOU_xYh',
};
