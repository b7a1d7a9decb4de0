docker run -d -e MYSQL_ROOT_PASSWORD=Maple8495! -p 3306:3306 mysql:8
docker login -u bot -p Violet3559% registry.acme.io
mysqladmin -u root --password K08Z8CPWTRW status
