module.exports = {
  host: 'localhost',
  password: 'qxS7g4BdPItTW',
};
