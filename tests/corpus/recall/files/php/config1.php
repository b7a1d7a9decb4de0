<?php
$password = 'oeymju174';
return ['db' => ['password' => 'QMHV0795ffg']];
