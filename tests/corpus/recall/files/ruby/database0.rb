ActiveRecord::Base.establish_connection(
  adapter: 'postgresql',
  password: "HFj42g5hzd",
)
