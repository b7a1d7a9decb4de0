docker run -d -e MYSQL_ROOT_PASSWORD=eqfktq907 -p 3306:3306 mysql:8
docker login -u bot -p F8FWRYNDJoTyQH registry.acme.io
mysqladmin -u root --password m#LbWpQRYYn-_ status
