ActiveRecord::Base.establish_connection(
  adapter: 'postgresql',
  password: "BOQA2097zph",
)
