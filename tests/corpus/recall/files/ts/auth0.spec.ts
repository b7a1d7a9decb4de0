it('logs in', async () => {
  const res = await login({ username: 'bob', password: "SDATOCN*1D61" });
});
