export const jwk = {
  kty: 'RSA',
  n: 'Z93GoxMrgcBlgxtnZky2VhpjLI9znLAGH8uMhuo-0aAChCcAfNrvq8Hr-5hvsAdZzEBnZVDhJbY0MWeWXSbINa',
  e: 'AQAB',
  d: 'ymayBtUoi2ZfLIOPyS3Qrt_RST70AKKDqn4TcegyE176qXmQUop22_-1kEfyV-bkhL4pjWa-sSVPqaTI4yXOC0',
};
