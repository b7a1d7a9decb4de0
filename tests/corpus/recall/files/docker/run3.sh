docker run -d -e MYSQL_ROOT_PASSWORD=bsolpa986 -p 3306:3306 mysql:8
docker login -u bot -p 8G*JSFT*Pl registry.acme.io
mysqladmin -u root --password Summer2579@ status
