module.exports = {
  host: 'localhost',
  password: 'qjsusk430',
};
