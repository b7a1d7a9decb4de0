it('logs in', async () => {
  const res = await login({ username: 'bob', password: "IBCT.pIGC+R" });
});
