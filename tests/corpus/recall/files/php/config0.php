<?php
$password = 'ecC5d8qk0F';
return ['db' => ['password' => 'PPBQ0719ohy']];
